import { apiErrorSchema } from '@ebay-connector/contracts';
import type { z } from 'zod';
import { ApiRequestError } from './apiError.ts';

export type QueryValue = string | number | boolean | readonly string[] | null | undefined;
export type QueryParams = Record<string, QueryValue>;

/** Builds `?a=1&b=x,y`, leaving out empty values (the API treats absent as "all"). */
export function toQueryString(params: QueryParams = {}): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) {
      if (value.length > 0) search.set(key, value.join(','));
    } else {
      search.set(key, String(value));
    }
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

interface RequestOptions {
  query?: QueryParams;
  body?: unknown;
  signal?: AbortSignal;
}

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
 * The one way the UI talks to the API: same-origin cookie session, JSON bodies
 * (the CSRF rule wants them), responses checked against the shared contracts.
 */
export async function apiRequest<Schema extends z.ZodType>(
  method: 'GET' | 'POST',
  path: string,
  schema: Schema,
  options: RequestOptions = {},
): Promise<z.output<Schema>> {
  const init: RequestInit = { method, credentials: 'same-origin', headers: { Accept: 'application/json' } };
  if (method === 'POST') {
    init.headers = { Accept: 'application/json', 'Content-Type': 'application/json' };
    init.body = JSON.stringify(options.body ?? {});
  }
  if (options.signal) init.signal = options.signal;

  let response: Response;
  try {
    response = await fetch(`${path}${toQueryString(options.query)}`, init);
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiRequestError(0, 'network_error', 'Cannot reach the server; check your connection');
  }
  const payload = await readJson(response);
  if (!response.ok) throw errorFrom(response, payload);

  const parsed = schema.safeParse(payload);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : 'unknown shape';
    throw new ApiRequestError(
      response.status,
      'unexpected_response',
      `Unexpected response from ${path} (${where})`,
    );
  }
  return parsed.data;
}

export const apiGet = <Schema extends z.ZodType>(path: string, schema: Schema, options?: RequestOptions) =>
  apiRequest('GET', path, schema, options);

export const apiPost = <Schema extends z.ZodType>(path: string, schema: Schema, options?: RequestOptions) =>
  apiRequest('POST', path, schema, options);
