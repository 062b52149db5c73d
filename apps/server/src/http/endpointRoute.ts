import { apiErrorSchema, type Endpoint } from '@ebay-connector/contracts';
import type { FastifyContextConfig } from 'fastify';
import { z } from 'zod';

/** Every error answer has the same body (errorHandler.ts), documented on every route. */
const errorResponses = { '4XX': apiErrorSchema, '5XX': apiErrorSchema } as const;

type Present<E, K extends string, As extends string> = E extends {
  readonly [key in K]: infer S extends z.ZodType;
}
  ? { [key in As]: S }
  : unknown;
type AlsoAnswers<E> = E extends { readonly alsoAnswers: infer A } ? A : unknown;
/** A JSON endpoint's answers are typed by their schemas; other bodies (text, redirect, stream) are the handler's. */
type Responses<E> = E extends { readonly response: infer R extends z.ZodType }
  ? { 200: R } & AlsoAnswers<E> & typeof errorResponses
  : Record<string, z.ZodType>;

/** The Fastify schema of an endpoint: what the type provider reads the handler's types from. */
type EndpointSchema<E extends Endpoint> = {
  tags: string[];
  summary: string;
  response: Responses<E>;
} & Present<E, 'params', 'params'> &
  Present<E, 'query', 'querystring'> &
  Present<E, 'body', 'body'>;

/**
 * The route options of a contract endpoint: method, URL, schemas (which validate the request,
 * check the answer and make the OpenAPI document) and access, all read from the one
 * declaration in packages/contracts. A route adds its handler and, where it has them, rate
 * limits (`config`), a log level or a serializer.
 */
export function endpointRoute<const E extends Endpoint>(
  endpoint: E,
  config: Omit<FastifyContextConfig, 'access' | 'apiKeyScope'> = {},
) {
  const schema: Record<string, unknown> = {
    tags: [endpoint.tag],
    summary: endpoint.summary,
    response: { ...successOf(endpoint), ...endpoint.alsoAnswers, ...errorResponses },
  };
  if (endpoint.params) schema.params = endpoint.params;
  if (endpoint.query) schema.querystring = endpoint.query;
  if (endpoint.body) schema.body = endpoint.body;
  if (endpoint.access === 'api_key') schema.security = [{ apiKey: [] }];
  return {
    method: endpoint.method,
    url: endpoint.path,
    // The keys set above are the ones EndpointSchema<E> derives from the same declaration.
    schema: schema as EndpointSchema<E>,
    config: {
      ...config,
      access: endpoint.access,
      ...(endpoint.apiKeyScope ? { apiKeyScope: endpoint.apiKeyScope } : {}),
    },
  };
}

/**
 * A raw answer is documented by its media type; its serializer is never used (Fastify sends a
 * string with a non-JSON content type as it is, and the handler writes it that way).
 */
function successOf(endpoint: Endpoint): Record<number, unknown> {
  if (endpoint.response) return { 200: endpoint.response };
  if (!endpoint.rawAnswer) return {};
  const { status, mediaType, description } = endpoint.rawAnswer;
  return { [status]: { description, content: { [mediaType]: { schema: z.string() } } } };
}
