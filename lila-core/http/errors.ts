import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { z } from 'zod';
import type { Logger } from '../../src/log.js';

/** An HTTP refusal: answered as `{"error":{"code","message"}}` with its status. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Parses a request body with its schema, or refuses it with 400 naming the first problem. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  // No body at all reads as {}; an explicit null is a body, and must pass the schema.
  const parsed = schema.safeParse(body === undefined ? {} : body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
  throw new HttpError(400, 'bad_request', `${where}${issue?.message ?? 'invalid body'}`);
}

export const notFound: RequestHandler = (req) => {
  throw new HttpError(404, 'not_found', `nothing at ${req.method} ${req.path}`);
};

/** Every error becomes JSON; a stack trace never leaves the process. */
export const errorHandler =
  (log: Logger): ErrorRequestHandler =>
  (err: unknown, _req, res, _next) => {
    void _next;
    if (err instanceof HttpError)
      return void res.status(err.status).json({ error: { code: err.code, message: err.message } });
    const e = err as { type?: string; status?: number; message?: string };
    if (e.type === 'entity.parse.failed')
      return void res.status(400).json({ error: { code: 'bad_json', message: 'the body is not valid JSON' } });
    if (e.type === 'entity.too.large')
      return void res.status(413).json({ error: { code: 'too_large', message: 'the body is too large' } });
    if (e.status && e.status >= 400 && e.status < 500)
      return void res.status(e.status).json({ error: { code: 'bad_request', message: e.message ?? 'bad request' } });
    log.error({ err: e.message }, 'http handler failed');
    res.status(503).json({ error: { code: 'unavailable', message: 'the server could not complete this request' } });
  };
