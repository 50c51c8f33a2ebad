// The API's one error shape: {"error": {"code", "message", "fields"?}} with a 4xx/5xx status.
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { z, type ZodType } from 'zod';
import { safeErrorMessage, type Logger } from '../log.ts';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields?: Record<string, string>,
  ) {
    super(message);
  }
}

export const notFound = (what = 'Not found') => new HttpError(404, 'not_found', what);

/** Validates `data` against `schema`; a failure is a 400 naming each bad field. */
export function parse<T>(schema: ZodType<T>, data: unknown, where = 'body'): T {
  const result = schema.safeParse(data ?? {});
  if (result.success) return result.data;
  const fields: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const path = issue.path.length ? issue.path.join('.') : where;
    fields[path] ??= issue.message;
  }
  const first = Object.entries(fields)[0]!;
  throw new HttpError(400, 'invalid_request', `Invalid ${where}: ${first[0]}: ${first[1]}`, fields);
}

export const unknownRoute: RequestHandler = (req, _res, next) => next(new HttpError(404, 'not_found', `No route for ${req.method} ${req.path}`));

export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    if (err instanceof HttpError) {
      res.status(err.status).json({ error: { code: err.code, message: err.message, ...(err.fields ? { fields: err.fields } : {}) } });
      return;
    }
    // body-parser errors: malformed JSON, too large, bad encoding.
    const status = (err as { status?: number; statusCode?: number }).status ?? (err as { statusCode?: number }).statusCode;
    if (status && status >= 400 && status < 500) {
      const type = (err as { type?: string }).type;
      const message = type === 'entity.parse.failed' ? 'The body is not valid JSON.' : type === 'entity.too.large' ? 'The body is too large.' : safeErrorMessage(err);
      res.status(status).json({ error: { code: type === 'entity.too.large' ? 'too_large' : 'invalid_request', message } });
      return;
    }
    log.error({ err: safeErrorMessage(err), method: req.method, path: req.path }, 'request failed');
    res.status(500).json({ error: { code: 'internal', message: 'Something went wrong on our side; it has been logged.' } });
  };
}

export const Id = z.string().uuid('not a valid id');
