// PostgreSQL text cannot hold U+0000 ("invalid byte sequence for encoding UTF8: 0x00"), and no person types one:
// refuse it once, for every route, before any schema or query sees the request.
import type { RequestHandler } from 'express';
import { HttpError } from './errors.ts';

/** The dotted path ("text", "tags.2", "q") of the first string holding U+0000 in `value`, or undefined. */
function firstNul(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path || 'value' : undefined;
  if (value === null || typeof value !== 'object') return undefined;
  for (const [key, inner] of Object.entries(value)) {
    if (key.includes('\u0000')) return path ? `${path}.${key}` : key;
    const found = firstNul(inner, path ? `${path}.${key}` : key);
    if (found) return found;
  }
  return undefined;
}

/**
 * Refuses a request whose JSON body or query string holds a NUL character (U+0000) anywhere: a 400
 * `invalid_request` whose message and `fields` name the field, e.g. `{"fields": {"text": "must not contain a NUL character (U+0000)"}}`.
 * Mount after the JSON body parser.
 */
export const refuseNulCharacters: RequestHandler = (req, _res, next) => {
  const field = firstNul(req.body, '') ?? firstNul(req.query, '');
  if (!field) return next();
  const problem = 'must not contain a NUL character (U+0000)';
  next(new HttpError(400, 'invalid_request', `${field}: ${problem}.`, { [field]: problem }));
};
