import type { Access } from '@ebay-connector/contracts';
import type {
  FastifyBaseLogger,
  FastifyInstance,
  FastifyRequest,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { ApiKeyHitCounter } from '../auth/apiKeyHits.ts';
import type { StoredApiKey } from '../auth/apiKeys.ts';
import type { UsageRecorder } from '../auth/apiKeyUsage.ts';
import type { SessionUser } from '../auth/sessions.ts';
import type { AppContext } from '../context.ts';
import type { LogStream } from '../logs/logStream.ts';
import type { AppMetrics } from '../metrics.ts';
import type { ServiceAccountRow } from '../tokens/accounts/serviceAccounts.ts';
import { UnauthorizedError } from './errors.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route: the endpoint's declared access (see endpointRoute.ts). */
    access?: Access;
    /** `api_key` routes: the scope the key must have. */
    apiKeyScope?: 'tokens' | 'proxy';
    /** `api_key` routes about one account (`:id`): the guard reads it with the key (one round trip). */
    apiKeyReadsAccount?: boolean;
  }
  interface FastifyRequest {
    /** The signed-in user, set by the auth guard for non-public routes. */
    auth: SessionUser | null;
    /** The API key of an `api_key` route (`/api/v1`), set by the auth guard. */
    apiKey: StoredApiKey | null;
    /**
     * Routes with `apiKeyReadsAccount`: the `:id` account of the key's org with its token, read by
     * the guard with the key (null: no such account); undefined elsewhere.
     */
    apiKeyAccount: ServiceAccountRow | null | undefined;
  }
}

export type ZodApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

/** What route modules get besides the app. Built once in app.ts. */
export interface HttpDeps {
  ctx: AppContext;
  /** PUBLIC_URL: the origin CSRF checks compare against. */
  publicUrl: URL;
  /** Where the OAuth callback sends the browser back to (the web UI's origin). */
  uiBaseUrl: string;
  secureCookies: boolean;
  logStream: LogStream;
  metrics: AppMetrics;
  /** Closers of open event streams, ended when the app closes. */
  openStreams: Set<() => void>;
  sseHeartbeatMs: number;
  /** How often an open event stream re-checks its session (eventStream.ts). */
  streamSessionCheckMs: number;
  /** Open event streams per session id, for the per-session cap. */
  streamsBySession: Map<string, number>;
  /** Batched `last_used_at` of API keys and the accounts they use. */
  usage: UsageRecorder;
  /** Per-key hits of `/api/v1` between sends to the shared rate-limit window. */
  keyHits: ApiKeyHitCounter;
}

/** The caller's session in a handler of a `signed_in`/`admin` route (the guard has checked it). */
export function signedIn(request: FastifyRequest): SessionUser {
  if (!request.auth) throw new UnauthorizedError();
  return request.auth;
}

/** The caller's API key in a handler of an `api_key` route (the guard has checked it). */
export function withApiKey(request: FastifyRequest): StoredApiKey {
  if (!request.apiKey) throw new UnauthorizedError('this endpoint needs an API key', 'api_key_missing');
  return request.apiKey;
}
