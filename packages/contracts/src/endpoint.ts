import type { z } from 'zod';

/**
 * Who may call an endpoint: `public` (no session read), `session_optional` (read when
 * present: the OAuth callback), `signed_in` (any role; viewers may read), `admin`
 * (refresh, debug, connect, repair) and `api_key` (the service API `/api/v1`: an API key as
 * `Authorization: Bearer`, with the endpoint's `apiKeyScope`; never a session). The server's
 * auth guard enforces it.
 */
export type Access = 'public' | 'session_optional' | 'signed_in' | 'admin' | 'api_key';

/** The OpenAPI tags, one per area of the API. */
type EndpointTag =
  | 'system'
  | 'auth'
  | 'workers'
  | 'tokens'
  | 'logs'
  | 'accounts'
  | 'connect'
  | 'users'
  | 'api_keys'
  | 'service';

/**
 * One endpoint of the API, declared once: the server registers its route from it (method,
 * path, schemas, access, OpenAPI tag and summary) and the web client calls it with input
 * typed and checked by the same schemas. `path` is the route pattern, `:name` for a path
 * parameter. `response` is the body of a 200; an endpoint whose answer is not JSON (a
 * redirect, an event stream, Prometheus text) describes it as `rawAnswer` instead. Every
 * endpoint answers errors with the API error body (`apiErrorSchema`); `alsoAnswers` lists
 * any other JSON answer by status.
 */
export interface Endpoint {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  readonly path: `/${string}`;
  readonly access: Access;
  /** `api_key` endpoints: the scope the key must have (`tokens` or `proxy`). */
  readonly apiKeyScope?: 'tokens' | 'proxy';
  readonly tag: EndpointTag;
  readonly summary: string;
  readonly params?: z.ZodType;
  readonly query?: z.ZodType;
  readonly body?: z.ZodType;
  readonly response?: z.ZodType;
  readonly alsoAnswers?: Readonly<Record<number, z.ZodType>>;
  readonly rawAnswer?: { readonly status: number; readonly mediaType: string; readonly description: string };
}

/** Keeps the literal type of the declaration (its method, path and schemas) for both sides. */
export function defineEndpoint<const E extends Endpoint>(endpoint: E): E {
  return endpoint;
}

type SchemaAt<E, K extends string> = E extends { readonly [key in K]: infer S extends z.ZodType } ? S : never;

/** What a caller sends (a schema's input, before its coercions and defaults) and the answer it gets. */
export type QueryOf<E extends Endpoint> = z.input<SchemaAt<E, 'query'>>;
export type BodyOf<E extends Endpoint> = z.input<SchemaAt<E, 'body'>>;
export type ResponseOf<E extends Endpoint> = z.output<SchemaAt<E, 'response'>>;

/**
 * The concrete path of a call: each `:name` of the pattern replaced by its parameter,
 * percent-encoded. A parameter the pattern names but the caller left out is a bug: it throws.
 */
export function pathOf(
  endpoint: Pick<Endpoint, 'path'>,
  params: Readonly<Record<string, unknown>> = {},
): string {
  return endpoint.path.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, (_match, name: string) => {
    const value = params[name];
    if (value === undefined || value === null) throw new Error(`${endpoint.path}: no value for :${name}`);
    return encodeURIComponent(String(value));
  });
}
