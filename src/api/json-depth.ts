// JSON nested thousands of levels deep ({"email": [[[[…]]]]}) parses fine (V8's JSON.parse does not recurse),
// but everything that walks the parsed value afterwards does: the NUL check, zod, JSON.stringify in a log or
// the audit log. Those overflow the stack and answer 500. No body this API takes nests more than a few
// levels, so the JSON parsing step refuses deep ones before anything walks them.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError } from './errors.ts';

/** The most arrays and objects a request body may nest inside one another. */
export const MAX_JSON_DEPTH = 64;

/** How deeply `text`'s arrays and objects nest at the deepest, stopping early once beyond `limit`. */
export function jsonDepth(text: string, limit = Infinity): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: the next character is escaped
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > deepest && (deepest = depth) > limit) break;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return deepest;
}

/**
 * `verify` for express.json(): refuses a body nested more than MAX_JSON_DEPTH levels with a 400
 * `invalid_request` before it is parsed.
 */
export function refuseDeepJson(_req: IncomingMessage, _res: ServerResponse, body: Buffer, encoding: string): void {
  let text: string;
  try {
    text = new TextDecoder(encoding || 'utf-8').decode(body);
  } catch {
    text = body.toString('latin1'); // a charset TextDecoder lacks (utf-32): the brackets are still ASCII
  }
  if (jsonDepth(text, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) {
    throw new HttpError(400, 'invalid_request', `The body nests arrays and objects more than ${MAX_JSON_DEPTH} levels deep.`);
  }
}
