import type { Environment } from '@ebay-connector/contracts';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { queryRows } from '../../db/client.ts';
import { dbDateOrNull } from '../../db/rows.ts';
import type { EbayErrorCode } from '../../ebay/classify.ts';
import { ebayEndpoints } from '../../ebay/endpoints.ts';
import { sendTokenRequest } from '../../ebay/oauthClient.ts';
import { basicCredentials } from '../../ebay/refreshRequest.ts';
import { writeConnectLog } from '../../logs/connectLog.ts';
import { maskExchange } from '../../logs/mask.ts';

/**
 * The application access token (eBay's client-credentials grant): what the Notification API
 * (verifying account-deletion notifications) and eBay's public APIs (Browse, Taxonomy) want.
 * One per environment in `ebay_app_tokens`, encrypted with the token cipher, reused until
 * five minutes before it expires. Fetching a new one is single-flight: within a process the
 * callers share one promise, across processes the row's lease (`lease_owner`, `lease_until`)
 * lets one fetch while the others wait for its row. Every fetch is captured and masked like a
 * refresh and logged as `app_token_issued` / `app_token_failed` (`source=app`).
 */

export const APP_TOKEN_SCOPE = 'https://api.ebay.com/oauth/api_scope';
/** eBay allows 1,000 client-credentials calls per application per day. */
export const EBAY_DAILY_APP_TOKEN_LIMIT = 1_000;
const REUSE_MARGIN_MS = 5 * 60_000;
const LEASE_SECONDS = 30;
const WAIT_FOR_OTHER_MS = 15_000;
const POLL_MS = 100;

export type AppTokenResult =
  | {
      ok: true;
      accessToken: string;
      expiresAt: Date;
      scopes: string[];
      tokenType: 'Application Access Token';
    }
  | {
      ok: false;
      code: EbayErrorCode | 'decrypt_failed' | 'timeout';
      message: string;
      /** eBay's `Retry-After`, when it sent one. */
      retryAfterSeconds?: number;
    };

const rowShape = z.object({
  access_token: z.string().nullable(),
  scopes: z.string().nullable(),
  expires_at: dbDateOrNull,
  lease_owner: z.string().nullable(),
  lease_until: dbDateOrNull,
});

const inFlight = new Map<string, Promise<AppTokenResult>>();

export function getAppToken(ctx: AppContext, environment?: Environment): Promise<AppTokenResult> {
  const env = environment ?? ctx.ebay.defaultEnvironment;
  // Per process and database: tests run several apps in one process.
  const key = `${ctx.instanceId}:${env}`;
  const running = inFlight.get(key);
  if (running) return running;
  const promise = obtain(ctx, env).finally(() => inFlight.delete(key));
  inFlight.set(key, promise);
  return promise;
}

async function obtain(ctx: AppContext, env: Environment): Promise<AppTokenResult> {
  const deadline = Date.now() + WAIT_FOR_OTHER_MS;
  for (;;) {
    const stored = await readUsable(ctx, env);
    if (stored) return stored;
    if (await takeLease(ctx, env)) {
      try {
        // Someone may have written a fresh token between the read and the lease.
        return (await readUsable(ctx, env)) ?? (await fetchAndStore(ctx, env));
      } finally {
        await ctx.db.execute(
          sql`update ebay_app_tokens set lease_owner = null, lease_until = null
              where environment = ${env} and lease_owner = ${ctx.instanceId}`,
        );
      }
    }
    if (Date.now() > deadline) {
      return {
        ok: false,
        code: 'timeout',
        message: 'another process fetching the application token did not finish in time',
      };
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

async function readUsable(ctx: AppContext, env: Environment): Promise<AppTokenResult | null> {
  const [row] = await queryRows(
    ctx.db,
    sql`select access_token, scopes, expires_at, lease_owner, lease_until from ebay_app_tokens where environment = ${env}`,
    rowShape,
  );
  if (!row?.access_token || !row.expires_at) return null;
  if (row.expires_at.getTime() - REUSE_MARGIN_MS <= ctx.now().getTime()) return null;
  const decrypted = ctx.cipher.decryptToken(row.access_token);
  if (!decrypted.ok) return null; // unreadable (key retired): fetch a new one
  return {
    ok: true,
    accessToken: decrypted.plaintext,
    expiresAt: row.expires_at,
    scopes: (row.scopes ?? '').split(' ').filter(Boolean),
    tokenType: 'Application Access Token',
  };
}

async function takeLease(ctx: AppContext, env: Environment): Promise<boolean> {
  const now = ctx.now();
  const until = new Date(now.getTime() + LEASE_SECONDS * 1000).toISOString();
  const rows = await queryRows(
    ctx.db,
    sql`insert into ebay_app_tokens (environment, lease_owner, lease_until)
        values (${env}, ${ctx.instanceId}, ${until}::timestamptz)
        on conflict (environment) do update set lease_owner = excluded.lease_owner, lease_until = excluded.lease_until
        where ebay_app_tokens.lease_owner is null or ebay_app_tokens.lease_until is null
          or ebay_app_tokens.lease_until <= ${now.toISOString()}::timestamptz
        returning environment`,
    z.object({ environment: z.string() }),
  );
  return rows.length === 1;
}

async function fetchAndStore(ctx: AppContext, env: Environment): Promise<AppTokenResult> {
  const endpoints = ebayEndpoints(env, ctx.ebay.overrides);
  const request = {
    method: 'POST' as const,
    url: endpoints.tokenUrl,
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Authorization: basicCredentials(ctx.ebay.clientId, ctx.ebay.clientSecret),
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: APP_TOKEN_SCOPE }).toString(),
  };
  const { exchange, outcome } = await sendTokenRequest(request, { timeoutMs: ctx.ebay.timeoutMs });
  const masked = maskExchange(exchange, { clientSecret: ctx.ebay.clientSecret });
  const log = (
    action: 'app_token_issued' | 'app_token_failed',
    error: { code: string; message: string } | null,
  ) =>
    writeConnectLog(ctx.db, {
      orgId: null,
      accountId: null,
      environment: env,
      action,
      source: 'app',
      request: masked.request,
      response: masked.response,
      error,
      durationMs: exchange.duration_ms,
    });
  if (!outcome.ok) {
    await log('app_token_failed', { code: outcome.code, message: outcome.message });
    return {
      ok: false,
      code: outcome.code,
      message: outcome.message,
      ...(outcome.retryAfterSeconds !== undefined ? { retryAfterSeconds: outcome.retryAfterSeconds } : {}),
    };
  }
  const expiresAt = new Date(ctx.now().getTime() + outcome.expiresIn * 1000);
  await ctx.db.execute(
    sql`update ebay_app_tokens set access_token = ${ctx.cipher.encrypt(outcome.accessToken)},
          scopes = ${APP_TOKEN_SCOPE}, expires_at = ${expiresAt.toISOString()}::timestamptz, updated_at = now()
        where environment = ${env}`,
  );
  await log('app_token_issued', null);
  return {
    ok: true,
    accessToken: outcome.accessToken,
    expiresAt,
    scopes: [APP_TOKEN_SCOPE],
    tokenType: 'Application Access Token',
  };
}

/** Client-credentials calls of the last 24 h against eBay's 1,000 a day (the Workers page). */
export async function measureAppTokenQuota(
  ctx: Pick<AppContext, 'db'>,
  now: Date,
): Promise<{ calls_24h: number; limit: number; warning: boolean }> {
  const [row] = await queryRows(
    ctx.db,
    sql`select count(*)::int as n from ebay_connect_logs
        where action in ('app_token_issued', 'app_token_failed')
          and created_at >= ${new Date(now.getTime() - 86_400_000).toISOString()}::timestamptz`,
    z.object({ n: z.coerce.number() }),
  );
  const calls = row?.n ?? 0;
  return {
    calls_24h: calls,
    limit: EBAY_DAILY_APP_TOKEN_LIMIT,
    warning: calls > 0.8 * EBAY_DAILY_APP_TOKEN_LIMIT,
  };
}
