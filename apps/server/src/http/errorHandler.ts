import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { errorBody, HttpError } from './errors.ts';

/**
 * The one error handler: our HttpErrors as they are, validation failures as 400
 * `invalid_request` naming the field, Fastify's own client errors (bad JSON, wrong
 * content type, body too large) with their status, and everything else as a 500 that
 * is logged with the request id and hidden from the client.
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
    void reply.code(err.statusCode).headers(err.headers).send(errorBody(err.code, err.message));
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
  request.log.error({ err }, 'unhandled error');
  void reply
    .code(500)
    .send(errorBody('internal_error', `internal error; quote request id ${request.id} when reporting it`));
}
