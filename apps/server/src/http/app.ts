import fastifyCookie from '@fastify/cookie';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySwagger from '@fastify/swagger';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { ApiKeyHitCounter } from '../auth/apiKeyHits.ts';
import { UsageRecorder } from '../auth/apiKeyUsage.ts';
import type { AppContext } from '../context.ts';
import { LogStream } from '../logs/logStream.ts';
import { createMetrics } from '../metrics.ts';
import { registerAuthGuard } from './auth/guard.ts';
import { handleClientError, handleError, handleFrameworkError } from './errorHandler.ts';
import { BadRequestError, TooManyRequestsError } from './errors.ts';
import { createHttpLogger, genRequestId } from './logging.ts';
import { databaseRateLimitStore } from './rateLimitStore.ts';
import { registerRoutes } from './routes/index.ts';
import { registerSecurityHeaders } from './securityHeaders.ts';
import type { HttpDeps, ZodApp } from './types.ts';
import { registerWebUi } from './webUi.ts';

export interface HttpAppOptions {
  /** The built web UI (apps/web/dist); omitted → API only. */
  webDistDir?: string;
  /** PUBLIC_URL: CSRF origin, Secure cookies when https. */
  publicUrl: string;
  /** Where the OAuth callback redirects to (the UI's origin); defaults to publicUrl. */
  onConnectRedirectBase?: string;
  /** Terminal stream poll interval and heartbeat (tests shorten them). */
  streamPollMs?: number;
  sseHeartbeatMs?: number;
  /** How often an open stream re-checks its session (default 2 s). */
  streamSessionCheckMs?: number;
}

const BODY_LIMIT_BYTES = 64 * 1024;

/** The Fastify app of the web role: API, OpenAPI document, metrics and the web UI. */
export async function buildHttpApp(ctx: AppContext, opts: HttpAppOptions): Promise<FastifyInstance> {
  const publicUrl = new URL(opts.publicUrl);
  const https = publicUrl.protocol === 'https:';
  const app: ZodApp = Fastify({
    loggerInstance: createHttpLogger(ctx.logger) as FastifyBaseLogger,
    genReqId: genRequestId,
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: ctx.env.TRUST_PROXY,
    routerOptions: { maxParamLength: 200 },
    frameworkErrors: handleFrameworkError,
    clientErrorHandler: handleClientError,
  }).withTypeProvider<ZodTypeProvider>();
  const deps: HttpDeps = {
    ctx,
    publicUrl,
    uiBaseUrl: opts.onConnectRedirectBase ?? publicUrl.origin,
    secureCookies: https,
    logStream: new LogStream(ctx.db, {
      intervalMs: opts.streamPollMs ?? 1000,
      clientSecret: ctx.ebay.clientSecret,
      logger: ctx.logger,
    }),
    metrics: createMetrics(ctx),
    openStreams: new Set(),
    sseHeartbeatMs: opts.sseHeartbeatMs ?? 15_000,
    streamSessionCheckMs: opts.streamSessionCheckMs ?? 2000,
    streamsBySession: new Map(),
    usage: new UsageRecorder(ctx.db, ctx.logger, ctx.now),
    keyHits: new ApiKeyHitCounter(ctx.env.API_KEY_RATE_LIMIT_PER_MINUTE, ctx.env.API_KEY_RATE_LIMIT_SYNC_MS),
  };

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(handleError);
  acceptJsonBodiesOnly(app);
  rejectUnstorableText(app);
  app.addHook('onSend', async (request, reply) => {
    void reply.header('x-request-id', request.id);
  });
  app.addHook('onResponse', async (request, reply) => {
    // The route pattern, not the URL: one series per endpoint whatever the account id or proxied path.
    const route = request.routeOptions.url;
    if (route?.startsWith('/api/v1/')) deps.metrics.countServiceRequest(route, reply.statusCode);
  });
  registerSecurityHeaders(app, https);
  await app.register(fastifyCookie);
  await app.register(fastifyRateLimit, {
    global: false,
    store: databaseRateLimitStore(deps.ctx.db),
    errorResponseBuilder: (_request, limit) =>
      new TooManyRequestsError(`too many requests; try again in ${limit.after}`, limit.ttl / 1000),
  });
  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'ebay-connector API',
        version: '1.0.0',
        description: 'See docs/API.md for curl examples.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'ebc_session' },
          apiKey: { type: 'http', scheme: 'bearer', description: 'An API key (ebc_…), for /api/v1 only' },
        },
      },
      security: [{ session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  registerAuthGuard(app, deps);
  registerRoutes(app, deps);
  await registerWebUi(app, opts.webDistDir);
  app.addHook('preClose', async () => {
    for (const close of [...deps.openStreams]) close();
    deps.logStream.close();
    await deps.usage.flush();
  });
  return app as unknown as FastifyInstance;
}

/**
 * Bodies are JSON only (anything else is a 415), and `Content-Type: application/json` with
 * no body reads as `{}`, so a bodyless POST still passes the CSRF rule.
 */
function acceptJsonBodiesOnly(app: ZodApp): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (body === '' || body === undefined) return done(null, {});
    return parseJson(request, body as string, done);
  });
}

/**
 * PostgreSQL stores neither NUL characters nor half a surrogate pair (`"\ud83d"` in JSON) in text
 * or jsonb: input holding either is a 400 here, not a database error (a 500) further on.
 */
function rejectUnstorableText(app: ZodApp): void {
  app.addHook('preValidation', async (request) => {
    const parts = { query: request.query, params: request.params, body: request.body };
    for (const [part, value] of Object.entries(parts)) {
      const problem = unstorableText(value);
      if (problem) throw new BadRequestError(`${part}: ${problem}`);
    }
  });
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** What makes a string (key or value) of a parsed request unstorable, if any. Iterative: bodies may nest deeply. */
export function unstorableText(value: unknown): string | null {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const next = pending.pop();
    // A raw body (the eBay proxy's) is passed on as bytes, never stored as text.
    if (next instanceof Uint8Array) continue;
    if (typeof next === 'string') {
      if (next.includes('\u0000')) return 'text must not contain NUL characters';
      if (LONE_SURROGATE.test(next)) return 'text must be valid Unicode (no lone surrogate escapes)';
    } else if (Array.isArray(next)) {
      for (const item of next) pending.push(item);
    } else if (next && typeof next === 'object') {
      for (const [key, item] of Object.entries(next)) pending.push(key, item);
    }
  }
  return null;
}
