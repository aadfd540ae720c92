import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';
import { AppError } from '../errors.js';

const TITLES: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed',
  409: 'Conflict', 413: 'Content Too Large', 415: 'Unsupported Media Type', 422: 'Unprocessable Content',
  429: 'Too Many Requests', 500: 'Internal Server Error', 503: 'Service Unavailable',
};

/** RFC 9457 problem details; `code` is the stable machine-readable part clients branch on. */
export function problem(c: Context, status: number, code: string, detail: string, extra: Record<string, unknown> = {}): Response {
  const body = {
    type: `urn:klachtsignaal:problem:${code}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    instance: c.req.path,
    code,
    ...extra,
  };
  return c.body(JSON.stringify(body), status as ContentfulStatusCode, { 'content-type': 'application/problem+json' });
}

export function errorToProblem(c: Context, error: unknown, log: (err: unknown) => void): Response {
  if (error instanceof AppError) return problem(c, error.status, error.code, error.message, error.details ?? {});
  if (error instanceof z.ZodError) return problem(c, 400, 'validation_failed', 'The request is not valid.', { errors: zodErrors(error) });
  if (error instanceof Error && 'status' in error && typeof error.status === 'number' && error.status < 500) {
    return problem(c, error.status, 'bad_request', error.message);
  }
  log(error);
  return problem(c, 500, 'internal_error', 'Something went wrong on our side; it has been logged.');
}

export function zodErrors(error: z.ZodError): { field: string; message: string }[] {
  return error.issues.map((i) => ({ field: i.path.join('.'), message: i.message }));
}

/** Parses query or body input; a failure becomes a 400 problem listing every invalid field. */
export function validate<T>(schema: z.ZodType<T>, input: unknown): T {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw new AppError('validation_failed', 'The request is not valid.', 400, false, { errors: zodErrors(parsed.error) });
  }
  return parsed.data;
}
