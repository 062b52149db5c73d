import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { isDatabaseUnavailable } from '../db/client.ts';
import { errorBody, HttpError } from './errors.ts';

/**
 * The one error handler: our HttpErrors as they are, validation failures as 400
 * `invalid_request` naming the field, Fastify's own client errors (bad JSON, wrong
 * content type, body too large) with their status, an unreachable database as a 503
 * `database_unavailable` (with Retry-After), and everything else as a 500 that is logged
 * with the request id and hidden from the client.
 */

/** Fastify's client-error codes and the API code each one answers with. */
const FASTIFY_CLIENT_ERRORS: Record<string, { status: number; code: string }> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'unsupported_media_type' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'invalid_request' },
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'payload_too_large' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'invalid_json' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'invalid_json' },
  FST_ERR_CTP_EMPTY_TYPE: { status: 415, code: 'unsupported_media_type' },
  FST_ERR_CTP_INVALID_TYPE: { status: 415, code: 'unsupported_media_type' },
};

type Issue = { instancePath?: string; message?: string };

/** `limit: limit must be between 1 and 1000`, or `body: …` when the whole part is wrong. */
export function describeValidationIssues(context: string | undefined, issues: readonly Issue[]): string {
  return issues
    .slice(0, 3)
    .map((issue) => {
      const path = (issue.instancePath ?? '').replace(/^\//, '').replaceAll('/', '.');
      return `${path || context || 'request'}: ${issue.message ?? 'is invalid'}`;
    })
    .join('; ');
}

export function handleError(err: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): void {
  if (err instanceof HttpError) {
    void reply
      .code(err.statusCode)
      .headers(err.headers)
      .send(errorBody(err.code, err.message, err.details));
    return;
  }
  if (hasZodFastifySchemaValidationErrors(err)) {
    const message = describeValidationIssues(err.validationContext, err.validation);
    void reply.code(400).send(errorBody('invalid_request', message));
    return;
  }
  const fastifyError = err as FastifyError;
  const known = fastifyError.code ? FASTIFY_CLIENT_ERRORS[fastifyError.code] : undefined;
  if (known) {
    void reply.code(known.status).send(errorBody(known.code, fastifyError.message));
    return;
  }
  const status = fastifyError.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    // Any other client error Fastify raises (malformed URL, unknown encoding…): keep its status.
    void reply.code(status).send(errorBody(status === 404 ? 'not_found' : 'invalid_request', err.message));
    return;
  }
  if (isDatabaseUnavailable(err)) {
    request.log.warn({ err }, 'database unavailable');
    void reply
      .code(503)
      .header('retry-after', '5')
      .send(
        errorBody('database_unavailable', 'the database cannot be reached right now; try again in a moment'),
      );
    return;
  }
  request.log.error({ err }, 'unhandled error');
  void reply
    .code(500)
    .send(errorBody('internal_error', `internal error; quote request id ${request.id} when reporting it`));
}

/**
 * Rejections by the router before any route runs (a malformed percent-encoding, a path
 * parameter over maxParamLength) in the API's error body instead of Fastify's own. The URL
 * is not echoed back: it may carry an OAuth code.
 */
export function handleFrameworkError(err: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const tooLong = err.code === 'FST_ERR_MAX_PARAM_LENGTH';
  void reply
    .code(tooLong ? 414 : 400)
    .send(
      tooLong
        ? errorBody('uri_too_long', 'a path parameter is too long')
        : errorBody('invalid_request', 'the URL is not valid (malformed percent-encoding)'),
    );
}

/**
 * Requests Node's HTTP parser rejects (headers too large, malformed HTTP, a body that never
 * arrives): the API's error body and `Connection: close`, since the socket is closed right
 * after. (Fastify's default leaves that header out, so a keep-alive client would send its
 * next request into the closed socket.)
 */
export function handleClientError(err: Error & { code?: string }, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  // A response to HEAD has no body: writing one makes the client's parser fail on it.
  const raw: unknown = (err as { rawPacket?: unknown }).rawPacket;
  const isHead = Buffer.isBuffer(raw) && raw.subarray(0, 5).toString('latin1') === 'HEAD ';
  const [status, code, message] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'headers_too_large', 'the request headers (URL included) are too large']
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'request_timeout', 'the request did not arrive in time']
        : [400, 'invalid_request', 'the request is not valid HTTP'];
  const body = JSON.stringify(errorBody(code, message));
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${isHead ? '' : body}`,
    );
  }
  socket.destroy(err);
}
