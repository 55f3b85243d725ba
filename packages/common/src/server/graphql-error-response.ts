import type { ErrorRequestHandler } from 'express';
import type { ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { ErrorCode, REQUEST_ERROR_CODE } from '../errors/errors';

/** One error in GraphQL's response shape, for answers given before any operation runs. */
export const graphqlErrorBody = (message: string, code: string) => ({ errors: [{ message, extensions: { code } }] });

/** Answers `status` with a GraphQL-shaped error, straight on node:http (no Express on this path). */
export function sendGraphqlError(res: ServerResponse, status: number, message: string, code: string): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  endWithLength(res, JSON.stringify(graphqlErrorBody(message, code)));
}

/**
 * Ends a response with its whole body and a Content-Length, which node:http adds by itself only
 * for HTTP/1.1: an HTTP/1.0 keep-alive client (as Express answered it) needs it to keep the
 * connection.
 */
export function endWithLength(res: ServerResponse, body: string): void {
  const bytes = Buffer.from(body, 'utf8');
  res.setHeader('content-length', bytes.length);
  res.end(bytes);
}

/**
 * Express error handler for what Express's body parsers refuse (too large, malformed JSON,
 * unsupported charset or encoding) and anything a route throws: GraphQL's error shape, never a
 * stack page; details of a 5xx are logged, not sent.
 */
export function graphqlErrorHandler(maxBodyBytes: number, logger: Logger): ErrorRequestHandler {
  return (error: Error & { status?: number; type?: string }, _req, res, _next) => {
    const status = error.status ?? 500;
    if (status >= 500) logger.error({ err: error }, 'request failed');
    const message =
      error.type === 'entity.too.large'
        ? `Request body is larger than ${maxBodyBytes} bytes`
        : status < 500
          ? 'Malformed request'
          : 'Internal server error';
    res
      .status(status)
      .json(graphqlErrorBody(message, status < 500 ? REQUEST_ERROR_CODE : ErrorCode.INTERNAL_SERVER_ERROR));
  };
}

/**
 * For a direct (non-Express) handler that threw: logs it and answers 500 in GraphQL's shape, or
 * cuts the connection when the answer had already begun (a half-written body must not look whole).
 */
export function failRequest(res: ServerResponse, error: unknown, logger: Logger): void {
  logger.error({ err: error }, 'request failed');
  if (res.headersSent) res.destroy();
  else sendGraphqlError(res, 500, 'Internal server error', ErrorCode.INTERNAL_SERVER_ERROR);
}
