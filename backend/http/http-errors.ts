import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ParleyError, isParleyError } from '../errors.js';
import type { Logger } from '../logger.js';

/** Every error becomes `{error: {code, message}}`; only a server bug is a 500. */
export function errorHandler(logger: Logger, onError: (code: string) => void): ErrorRequestHandler {
  return (err: unknown, _req, res, _next) => {
    let error: ParleyError;
    if (isParleyError(err)) {
      error = err;
    } else if (isBodyParserError(err)) {
      error = err.type === 'entity.too.large'
        ? new ParleyError('PAYLOAD_TOO_LARGE')
        : new ParleyError('INVALID_BODY', err.type === 'entity.parse.failed' ? 'The body is not valid JSON' : 'The body could not be read');
    } else {
      logger.error({ err }, 'request failed');
      error = new ParleyError('INTERNAL');
    }
    onError(error.code);
    if (res.headersSent) return;
    res.status(error.status).json({ error: error.toJSON() });
  };
}

export const notFound: RequestHandler = (_req, _res, next) => {
  next(new ParleyError('NOT_FOUND', 'No such route'));
};

function isBodyParserError(e: unknown): e is { type: string; status: number } {
  return typeof e === 'object' && e !== null && typeof (e as { type?: unknown }).type === 'string' && typeof (e as { status?: unknown }).status === 'number';
}
