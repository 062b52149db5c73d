import { apiErrorSchema, type Endpoint, joinListParam, pathOf } from '@ebay-connector/contracts';
import { z } from 'zod';
import { ApiRequestError } from './apiError.ts';

/** Builds `?a=1&b=x,y`, leaving out empty values (the API treats absent as "all"). */
export function toQueryString(params: object = {}): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) {
      if (value.length > 0) search.set(key, joinListParam(value.map(String)));
    } else {
      search.set(key, String(value));
    }
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

type Part<E, K extends 'params' | 'query' | 'body'> = E extends {
  readonly [key in K]: infer S extends z.ZodType;
}
  ? object extends z.input<S>
    ? { [key in K]?: z.input<S> }
    : { [key in K]: z.input<S> }
  : { [key in K]?: never };

/** What a call takes: the endpoint's path parameters, query and body, typed by its contract. */
type CallInput<E extends Endpoint> = Part<E, 'params'> &
  Part<E, 'query'> &
  Part<E, 'body'> & { signal?: AbortSignal };
type CallArgs<E extends Endpoint> =
  object extends CallInput<E> ? [input?: CallInput<E>] : [input: CallInput<E>];

interface RawInput {
  params?: unknown;
  query?: unknown;
  body?: unknown;
  signal?: AbortSignal;
}

/** The part named as the server names it in its 400s (`querystring: …`), so both read the same. */
const PART_NAMES = { params: 'params', query: 'querystring', body: 'body' } as const;

/**
 * Checks one part of the input with the endpoint's schema, the one the server validates it
 * with: input the server would refuse fails here, with the server's message, and is not sent.
 */
function check(endpoint: Endpoint, part: keyof typeof PART_NAMES, value: unknown): unknown {
  const schema = endpoint[part];
  if (!schema) return value;
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const message = result.error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || PART_NAMES[part]}: ${issue.message}`)
    .join('; ');
  throw new ApiRequestError(0, 'invalid_request', message);
}

/** The URL of a call: the path with its parameters, then the query; both checked first. */
export function endpointUrl<E extends Endpoint>(endpoint: E, ...[input]: CallArgs<E>): string {
  return urlOf(endpoint, input ?? {});
}

/** The query goes out as the caller wrote it (once checked); the server applies the defaults. */
function urlOf(endpoint: Endpoint, input: RawInput): string {
  const params = check(endpoint, 'params', input.params);
  check(endpoint, 'query', input.query);
  const query = input.query;
  return `${pathOf(endpoint, isRecord(params) ? params : {})}${toQueryString(isRecord(query) ? query : {})}`;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function errorFrom(response: Response, payload: unknown): ApiRequestError {
  const parsed = apiErrorSchema.safeParse(payload);
  if (parsed.success) {
    return new ApiRequestError(response.status, parsed.data.error.code, parsed.data.error.message);
  }
  const reason = response.statusText || 'request failed';
  return new ApiRequestError(response.status, `http_${response.status}`, `${response.status} ${reason}`);
}

/**
 * The one way the UI calls the API: an endpoint of packages/contracts and its typed input.
 * Same-origin cookie session, JSON bodies (the CSRF rule wants them), the input checked by
 * the endpoint's request schemas before it is sent and the answer by its response schema
 * (or, for an endpoint that answers `204 No Content`, that it did).
 */
export async function api<E extends Endpoint & ({ response: z.ZodType } | { rawAnswer: { status: 204 } })>(
  endpoint: E,
  ...[input]: CallArgs<E>
): Promise<AnswerOf<E>> {
  const { status, payload } = await send(endpoint, input ?? {});
  if (!endpoint.response) {
    // A `204 No Content` endpoint (a DELETE): success has no body to check.
    if (status !== 204) {
      throw new ApiRequestError(status, 'unexpected_response', `Unexpected ${status} from ${endpoint.path}`);
    }
    return undefined as AnswerOf<E>;
  }
  return checkAnswer(endpoint.response, payload, status, endpoint.path) as AnswerOf<E>;
}

/** The answer of an endpoint: its response schema's output, nothing for a 204. */
type AnswerOf<E> = E extends { response: infer S extends z.ZodType } ? z.output<S> : undefined;

function checkAnswer<S extends z.ZodType>(
  schema: S,
  payload: unknown,
  status: number,
  path: string,
): z.output<S> {
  const parsed = z.safeParse(schema, payload);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : 'unknown shape';
  throw new ApiRequestError(status, 'unexpected_response', `Unexpected response from ${path} (${where})`);
}

/** Sends a checked request; a non-2xx answer is thrown as the API's error. */
async function send(endpoint: Endpoint, input: RawInput): Promise<{ status: number; payload: unknown }> {
  const url = urlOf(endpoint, input);
  check(endpoint, 'body', input.body);
  const init: RequestInit = {
    method: endpoint.method,
    credentials: 'same-origin',
    headers: { Accept: 'application/json' },
  };
  if (endpoint.method !== 'GET') {
    init.headers = { Accept: 'application/json', 'Content-Type': 'application/json' };
    init.body = JSON.stringify(input.body ?? {});
  }
  if (input.signal) init.signal = input.signal;

  let response: Response;
  try {
    response = await fetch(url, init);
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiRequestError(0, 'network_error', 'Cannot reach the server; check your connection');
  }
  const payload = await readJson(response);
  if (!response.ok) throw errorFrom(response, payload);
  return { status: response.status, payload };
}
