/**
 * The HTTP errors of the API: a status and a stable snake_case code (docs/API.md, Errors).
 * Handlers throw these; the one error handler (errorHandler.ts) turns them into
 * `{"error": {"code", "message"}}`. Expected domain failures are returned values,
 * mapped to one of these by the handler.
 */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
    /** Facts a caller can act on (`error.details`), e.g. an account's status and reason. */
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class BadRequestError extends HttpError {
  constructor(message: string, code = 'invalid_request') {
    super(400, code, message);
  }
}

export class UnauthorizedError extends HttpError {
  constructor(message = 'sign in first', code = 'unauthorized') {
    super(401, code, message);
  }
}

export class ForbiddenError extends HttpError {
  constructor(message = 'your role may not do this', code = 'forbidden') {
    super(403, code, message);
  }
}

/** Also the answer for another org's ids: identical to a missing one. */
export class NotFoundError extends HttpError {
  constructor(what = 'resource', code = 'not_found') {
    super(404, code, `${what} not found`);
  }
}

export class ConflictError extends HttpError {
  constructor(message: string, code = 'conflict') {
    super(409, code, message);
  }
}

export class TooManyRequestsError extends HttpError {
  constructor(message: string, retryAfterSeconds: number) {
    super(429, 'rate_limited', message, { 'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))) });
  }
}

export type ErrorBody = { error: { code: string; message: string; details?: Record<string, unknown> } };

export function errorBody(code: string, message: string, details?: Record<string, unknown>): ErrorBody {
  return details ? { error: { code, message, details } } : { error: { code, message } };
}
