import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type ErrorCode } from '../../errors.js';
import { isDatabaseUnavailable } from '../../db/is-database-unavailable.js';
import { describeValidationError } from './validator.js';

const STATUS_CODE: Record<number, ErrorCode> = {
  400: 'invalid_input',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
  431: 'headers_too_large',
  503: 'unavailable',
};

/** PostgreSQL errors that a client's own input can cause; everything else is ours (500). */
function fromDatabase(err: { code?: string; column?: string }): AppError | null {
  switch (err.code) {
    case '23503':
      return new AppError('conflict', 'a referenced record no longer exists');
    case '23505':
      return new AppError('conflict', 'that record already exists');
    case '22001':
      return new AppError('invalid_input', `${err.column ?? 'a field'} is too long`);
    case '22P02':
    case '22007':
    case '22008':
      return new AppError('invalid_input', 'a field has an invalid value');
    case '54000':
      return new AppError('invalid_input', 'the request is too large to process');
    default:
      // Class 22 is "data exception": a value the client sent that PostgreSQL refused (out of
      // range, bad format). Schemas should catch each one first; this is the last resort.
      return err.code?.startsWith('22') ? new AppError('invalid_input', 'a field has a value out of range or in an invalid format') : null;
  }
}

/** Seconds a client is told to wait when the database is unavailable (a restart takes seconds). */
const DATABASE_RETRY_AFTER_S = '2';

/**
 * One handler for every error: client errors keep their message, server errors are logged in
 * full and answered with a generic sentence. Never a stack trace, never a redirect.
 */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError & { code?: string }, request, reply) => {
    let appError: AppError;
    if (error instanceof AppError) {
      appError = error;
    } else if (error.validation) {
      appError = new AppError('invalid_input', describeValidationError(error.validation as never, error.validationContext));
    } else if (error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError) {
      appError = new AppError('invalid_input', 'body is not valid JSON');
    } else if (error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
      appError = new AppError('invalid_input', 'body must not be empty when Content-Type is application/json');
    } else if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      appError = new AppError('payload_too_large', 'body is too large');
    } else if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      appError = new AppError('unsupported_media_type', 'Content-Type must be application/json');
    } else if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
      appError = new AppError(STATUS_CODE[error.statusCode] ?? 'invalid_input', error.message || 'bad request');
    } else if (isDatabaseUnavailable(error)) {
      // PostgreSQL stopped or restarting: the same request may succeed in a moment.
      appError = new AppError('unavailable', 'the database is unavailable; try again shortly');
      reply.header('Retry-After', DATABASE_RETRY_AFTER_S);
    } else {
      appError = fromDatabase(error) ?? new AppError('internal_error', 'internal error; it has been logged', { cause: error });
    }
    if (appError.code === 'unavailable' && !(error instanceof AppError)) {
      request.log.warn({ reason: (error as Error).message }, 'request failed: database unavailable');
    } else if (appError.status >= 500) {
      request.log.error({ err: error }, 'request failed');
    } else {
      request.log.info({ code: appError.code, msg: appError.message }, 'request rejected');
    }
    if (appError.code === 'rate_limited' && !reply.getHeader('retry-after')) reply.header('Retry-After', '1');
    void reply
      .status(appError.status)
      .header('Cache-Control', 'no-store')
      .send({ error: { code: appError.code, message: appError.message } });
  });

  app.setNotFoundHandler((request, reply) => {
    void reply
      .status(404)
      .send({ error: { code: 'not_found', message: `no route for ${request.method} ${request.url.split('?')[0].slice(0, 200)}` } });
  });
}

/**
 * Errors the router raises before any route, hook or error handler runs (Fastify's
 * `frameworkErrors`): without this they are answered with Fastify's own body shape.
 * A path parameter longer than any id we issue is an unknown id (404); a path that is not
 * valid percent-encoding is malformed input (400).
 */
export function answerFrameworkError(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const appError =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? new AppError('not_found', 'not found')
      : error.code === 'FST_ERR_BAD_URL'
        ? new AppError('invalid_input', 'the URL path is not valid percent-encoding')
        : new AppError('internal_error', 'internal error; it has been logged');
  void reply
    .status(appError.status)
    .header('Cache-Control', 'no-store')
    .send({ error: { code: appError.code, message: appError.message } });
}

/**
 * Errors Node's HTTP parser raises before there is a request (a request line and headers past
 * MAX_HEADER_BYTES, a malformed request line): answered in the error shape of SPEC §6 on the raw
 * socket, then the connection is closed. It is ended, not destroyed, and what the client still
 * sends is read and dropped (for at most 2 s): destroying a socket with unread bytes resets the
 * connection, and the client may then never see the answer. The error's raw packet (headers,
 * API key, forwarded addresses) is never logged.
 */
export function answerClientError(this: FastifyInstance, err: NodeJS.ErrnoException, socket: import('node:stream').Duplex): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const appError =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? new AppError('headers_too_large', 'the request line and headers together must be at most 16 KiB')
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? null
        : new AppError('invalid_input', 'malformed HTTP request');
  this.log.debug({ code: err.code }, 'client error');
  if (!appError || !socket.writable) {
    socket.destroy();
    return;
  }
  const body = JSON.stringify({ error: { code: appError.code, message: appError.message } });
  const reason = appError.status === 431 ? 'Request Header Fields Too Large' : 'Bad Request';
  socket.end(
    `HTTP/1.1 ${appError.status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
      `Cache-Control: no-store\r\nConnection: close\r\n\r\n${body}`,
  );
  socket.resume(); // drain what the client is still sending, so the close is not a reset
  setTimeout(() => socket.destroy(), 2_000).unref();
}
