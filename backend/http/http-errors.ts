import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ParleyError, isParleyError } from '../errors.js';
import type { Logger } from '../logger.js';

/** Every error becomes `{error: {code, message}}`; only a server bug is a 500. */
export function errorHandler(logger: Logger, onError: (code: string) => void): ErrorRequestHandler {
  return (err: unknown, _req, res, _next) => {
    let error: ParleyError;
    if (isParleyError(err)) {
      error = err;
    } else if (isClientHttpError(err)) {
      error = fromClientHttpError(err);
    } else {
      logger.error({ err }, 'request failed');
      error = new ParleyError('INTERNAL');
    }
    onError(error.code);
    if (res.headersSent) return;
    const retryAfterMs = error.details?.['retryAfterMs'];
    if (typeof retryAfterMs === 'number') res.set('Retry-After', String(Math.max(1, Math.ceil(retryAfterMs / 1000))));
    res.status(error.status).json({ error: error.toJSON() });
  };
}

export const notFound: RequestHandler = (_req, _res, next) => {
  next(new ParleyError('NOT_FOUND', 'No such route'));
};

interface ClientHttpError {
  status: number;
  type?: unknown;
}

/** An `http-errors` 4xx, as body-parser and the router raise them: the client's fault. */
function isClientHttpError(e: unknown): e is ClientHttpError {
  if (typeof e !== 'object' || e === null) return false;
  const status = (e as { status?: unknown }).status;
  return typeof status === 'number' && status >= 400 && status < 500;
}

/** body-parser's error types (https://github.com/expressjs/body-parser#errors) to stable codes. */
function fromClientHttpError(e: ClientHttpError): ParleyError {
  switch (e.type) {
    case 'entity.too.large':
      return new ParleyError('PAYLOAD_TOO_LARGE');
    case 'encoding.unsupported':
      return new ParleyError('UNSUPPORTED_MEDIA_TYPE', 'Send the body without Content-Encoding');
    case 'charset.unsupported':
      return new ParleyError('UNSUPPORTED_MEDIA_TYPE', 'Send the body in UTF-8');
    case 'entity.parse.failed':
      return new ParleyError('INVALID_BODY', 'The body is not valid JSON');
    default:
      return new ParleyError('INVALID_BODY', 'The request could not be read');
  }
}
