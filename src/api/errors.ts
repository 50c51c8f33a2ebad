// The API's one error shape: {"error": {"code", "message", "fields"?, "details"?}} with a 4xx/5xx status.
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { z, type ZodType } from 'zod';
import type { $ZodRawIssue } from 'zod/v4/core';
import { safeErrorMessage, type Logger } from '../log.ts';

/**
 * An error the API answers with. `message` is an English sentence for people; `fields` maps a request field's path
 * to its problem; `details` carries the specifics of the sentence as data (a connector's name, a limit, the kinds
 * of secret), so that a client can say the same in its own language without reading the sentence.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields?: Record<string, string | string[]>,
    readonly details?: Record<string, string | number | boolean | string[] | Record<string, string[]>>,
  ) {
    super(message);
  }
}

export const notFound = (what = 'Not found') => new HttpError(404, 'not_found', what);

const EXPECTED: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  date: 'a date, for example 2026-11-29T08:00:00Z',
  array: 'a list',
  object: 'an object',
  record: 'an object',
  bigint: 'a whole number',
};
const FORMATS: Record<string, string> = {
  uuid: 'an id this API returned',
  email: 'an email address',
  url: 'a URL',
  datetime: 'a date and time, for example 2026-11-29T08:00:00Z',
  date: 'a date, for example 2026-11-29',
};
const list = (values: readonly unknown[]) => values.map((v) => JSON.stringify(v)).join(', ');
const plural = (n: number | bigint, word: string) => `${n} ${word}${n === 1 || n === 1n ? '' : 's'}`;
const UNITS: Record<string, string> = { string: 'character', array: 'item', set: 'item', file: 'byte' };

/**
 * zod's issues as sentences a person can act on ("must be a date, for example 2026-11-29T08:00:00Z" rather
 * than "expected date, received Date"). Messages written into a schema take precedence over these.
 */
export function sentenceFor(issue: $ZodRawIssue): string | undefined {
  if ((issue.code === 'invalid_type' || issue.code === 'invalid_value') && issue.input === undefined) return 'is required';
  switch (issue.code) {
    case 'invalid_type':
      return `must be ${EXPECTED[issue.expected] ?? issue.expected}`;
    case 'invalid_value':
      return issue.values.length === 1 ? `must be ${list(issue.values)}` : `must be one of ${list(issue.values)}`;
    case 'invalid_format':
      if (issue.format === 'regex') return 'is not in the expected form';
      if (issue.format === 'starts_with' || issue.format === 'ends_with' || issue.format === 'includes') return 'is not in the expected form';
      return `must be ${FORMATS[issue.format] ?? `a valid ${issue.format}`}`;
    case 'too_small': {
      const unit = UNITS[issue.origin];
      if (unit) return issue.minimum === 1 && issue.origin === 'string' ? 'must not be empty' : `must have at least ${plural(issue.minimum, unit)}`;
      return `must be at least ${issue.minimum}`;
    }
    case 'too_big': {
      const unit = UNITS[issue.origin];
      if (unit) return `must have at most ${plural(issue.maximum, unit)}`;
      return `must be at most ${issue.maximum}`;
    }
    case 'not_multiple_of':
      return `must be a multiple of ${issue.divisor}`;
    case 'unrecognized_keys':
      return `has fields this does not accept: ${issue.keys.join(', ')}`;
    case 'invalid_union':
      return 'is not any of the accepted forms';
    case 'invalid_key':
      return 'has a key that is not accepted';
    case 'invalid_element':
      return 'has an element that is not accepted';
    default:
      return undefined;
  }
}

/** Validates `data` against `schema`; a failure is a 400 whose message and `fields` name each bad field in a sentence. */
export function parse<T>(schema: ZodType<T>, data: unknown, where = 'body'): T {
  const result = schema.safeParse(data ?? {}, { error: sentenceFor });
  if (result.success) return result.data;
  const fields: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const path = issue.path.length ? issue.path.join('.') : where;
    fields[path] ??= issue.message;
  }
  throw invalidFields(fields);
}

/** The 400 `invalid_request` for these field problems: "first: problem (and 2 more problems)." with all in `fields`. */
export function invalidFields(fields: Record<string, string | string[]>): HttpError {
  const entries = Object.entries(fields);
  const [name, problem] = entries[0]!;
  const more = entries.length > 1 ? ` (and ${plural(entries.length - 1, 'more problem')})` : '';
  return new HttpError(400, 'invalid_request', `${name}: ${problem}${more}.`, fields);
}

/**
 * Runs validations that do not depend on one another and reports every field problem at once: `check` runs one
 * and answers its result, or undefined when it failed with a 400 `invalid_request` naming fields (kept for
 * later); `done()` then throws them all in one 400 (the original error when only one check failed).
 */
export function fieldProblems() {
  const failed: HttpError[] = [];
  return {
    check<T>(work: () => T): T | undefined {
      try {
        return work();
      } catch (err) {
        if (!(err instanceof HttpError && err.status === 400 && err.code === 'invalid_request' && err.fields)) throw err;
        failed.push(err);
        return undefined;
      }
    },
    /** Whether a failed check named this field (or a field inside it: "settings" covers "settings.mode"). */
    named(field: string): boolean {
      return failed.some((e) => Object.keys(e.fields!).some((k) => k === field || k.startsWith(`${field}.`)));
    },
    done(): void {
      if (failed.length === 1) throw failed[0]!;
      if (failed.length) {
        const fields: Record<string, string | string[]> = {};
        for (const e of failed) for (const [k, v] of Object.entries(e.fields!)) fields[k] ??= v;
        throw invalidFields(fields);
      }
    },
  };
}

/**
 * Validates a query string (`req.query`) like `parse`. An empty value (`?status=`, as a form with an unset
 * filter sends it) counts as absent, so it means "no filter" rather than a 400.
 */
export function parseQuery<T>(schema: ZodType<T>, query: unknown): T {
  const given = query && typeof query === 'object' ? Object.entries(query).filter(([, v]) => v !== '') : [];
  return parse(schema, Object.fromEntries(given), 'query');
}

export const unknownRoute: RequestHandler = (req, _res, next) => next(new HttpError(404, 'not_found', `No route for ${req.method} ${req.path}`));

export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    if (err instanceof HttpError) {
      const { code, message, fields, details } = err;
      res.status(err.status).json({ error: { code, message, ...(fields ? { fields } : {}), ...(details ? { details } : {}) } });
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
