import type { EbaySim } from '@ebay-connector/ebay-sim';
import {
  type AppContext,
  DEFAULT_SCOPES,
  queryRows,
  refreshAccount,
  type TokenCipher,
} from '@ebay-connector/server';
import { toTextArray } from '@ebay-connector/server/queries';
import { buildAccount } from '@ebay-connector/server/test-support';
import { sql } from 'drizzle-orm';
import type pg from 'pg';
import { z } from 'zod';
import { SHARED_ACCESS_TOKEN } from './seed.ts';

/**
 * The "queries at scale" data set, generated in SQL: one large org with `accounts` accounts in
 * a realistic mix of token states, and `logs` connect-log rows over the last 30 days in a
 * realistic mix of actions and sources (mostly scheduled refreshes, some failures, debug and
 * manual refreshes, token views, connect flows, and a worker cycle marker every 1,000 rows).
 * Tokens are never refreshed here, so ten encrypted values are reused.
 */

export interface LogTemplates {
  request: unknown;
  response: unknown;
  failedResponse: unknown;
  failedError: unknown;
}

export async function seedScaleAccounts(
  pool: pg.Pool,
  cipher: TokenCipher,
  orgId: string,
  accounts: number,
): Promise<void> {
  const refresh = Array.from({ length: 10 }, (_, i) =>
    cipher.encrypt(`v^1.1#i^1#p^3#r^1#I^3#f^0#t^Ul4x${i}ABC+/=`),
  );
  const access = cipher.encrypt(SHARED_ACCESS_TOKEN);
  await pool.query(
    `insert into ebay_accounts (org_id, environment, house_name, ebay_user_id, ebay_username, status, status_reason)
     select $1, case when g % 10 = 0 then 'sandbox' else 'production' end,
            'House ' || lpad(g::text, 6, '0'), 'user' || g, 'seller_' || g,
            case when g % 100 = 0 then 'needs_reconnect' when g % 250 = 1 then 'disabled' else 'active' end,
            case when g % 100 = 0 then 'invalid_grant: the refresh token was revoked' end
     from generate_series(1, $2::int) g`,
    [orgId, accounts],
  );
  // Access tokens spread over the next two hours (about 15 % due at any time), 3 % failing.
  await pool.query(
    `insert into ebay_tokens (account_id, access_token, access_expires_at, refresh_token, refresh_expires_at, scopes,
       version, consecutive_failures, last_refresh_at, last_refresh_success, last_error_code, last_error_message,
       next_attempt_at, jitter_seconds)
     select a.id, $2, now() + make_interval(secs => (random() * 7800 - 600)::int),
            ($3::text[])[1 + (n % 10)], now() + interval '400 days', $4::text[], 1 + (n % 50),
            case when n % 33 = 0 then 1 + n % 4 else 0 end,
            now() - make_interval(secs => (random() * 6000)::int),
            n % 33 <> 0,
            case when n % 33 = 0 then 'ebay_unavailable' end,
            case when n % 33 = 0 then 'eBay answered 503 Service Unavailable' end,
            case when n % 33 = 0 then now() + interval '5 minutes' end,
            (random() * 300)::int
     from (select id, row_number() over (order by id) as n from ebay_accounts x
           where org_id = $1 and not exists (select 1 from ebay_tokens t where t.account_id = x.id)) a`,
    [orgId, access, refresh, toTextArray(DEFAULT_SCOPES)],
  );
}

/** [share in %, action, source, kind of payload] of the generated connect logs. */
const MIX: [number, string, string, 'ok' | 'failed' | 'none'][] = [
  [82, 'token_refreshed', 'scheduled', 'ok'],
  [5, 'token_refresh_failed', 'scheduled', 'failed'],
  [3, 'token_refreshed', 'on_demand', 'ok'],
  [3, 'token_refresh_debug', 'debug', 'ok'],
  [2, 'token_refreshed', 'manual', 'ok'],
  [2, 'token_info_viewed', 'manual', 'none'],
  [1, 'connect_started', 'connect', 'none'],
  [1, 'token_exchanged', 'connect', 'none'],
  [1, 'connect_completed', 'connect', 'none'],
];

export async function seedScaleLogs(
  pool: pg.Pool,
  orgId: string,
  total: number,
  t: LogTemplates,
  onProgress: (done: number) => void,
  opts: { terminalOnly?: boolean } = {},
): Promise<void> {
  const buckets: string[] = [];
  let b = 0;
  // Without the connect flow's rows, the token actions fill the 100 buckets in the same proportions.
  const mix = opts.terminalOnly ? MIX.filter(([, , source]) => source !== 'connect') : MIX;
  const scale = 100 / mix.reduce((sum, [share]) => sum + share, 0);
  let filled = 0;
  for (const [index, [share, action, source, kind]] of mix.entries()) {
    const count = index === mix.length - 1 ? 100 - filled : Math.round(share * scale);
    filled += count;
    for (let i = 0; i < count; i++) buckets.push(`(${b++}, '${action}', '${source}', '${kind}')`);
  }
  await pool.query('create unlogged table bench_acc (id uuid, environment text, rn int)');
  await pool.query(
    `insert into bench_acc select id, environment, row_number() over (order by id) from ebay_accounts where org_id = $1`,
    [orgId],
  );
  await pool.query('create index on bench_acc (rn)');
  const { rows } = await pool.query<{ n: number }>('select count(*)::int as n from bench_acc');
  const accounts = rows[0]!.n;
  const chunk = 200_000;
  for (let start = 1; start <= total; start += chunk) {
    const end = Math.min(total, start + chunk - 1);
    await pool.query(
      `with mix(bucket, action, source, kind) as (values ${buckets.join(',')})
       insert into ebay_connect_logs (org_id, account_id, environment, action, source, request, response, error,
         summary, duration_ms, created_at)
       select case when cycle then null else $1::uuid end,
              case when cycle then null else a.id end,
              case when cycle then null else a.environment end,
              case when cycle then 'token_refresh_cycle' else m.action end,
              case when cycle then 'scheduled' else m.source end,
              case when not cycle and m.kind <> 'none' then $2::jsonb end,
              case when cycle or m.kind = 'none' then null when m.kind = 'ok' then $3::jsonb else $4::jsonb end,
              case when not cycle and m.kind = 'failed' then $5::jsonb end,
              case when cycle then jsonb_build_object('due', 40, 'refreshed', 40, 'failed', 0, 'by_org',
                jsonb_build_object($1::text, jsonb_build_object('due', 40, 'refreshed', 40, 'failed', 0))) end,
              (50 + g % 200)::int,
              now() - interval '30 days' + (g::float8 / $6::float8) * interval '30 days'
       from (select g, g % 1000 = 0 as cycle from generate_series($7::int, $8::int) g) s
       join mix m on m.bucket = (s.g * 7) % 100
       join bench_acc a on a.rn = 1 + ((s.g::bigint * 7919) % $9::int)`,
      [
        orgId,
        JSON.stringify(t.request),
        JSON.stringify(t.response),
        JSON.stringify(t.failedResponse),
        JSON.stringify(t.failedError),
        total,
        start,
        end,
        accounts,
      ],
    );
    onProgress(end);
  }
  await pool.query('drop table bench_acc');
}

/** One real success and one real failure through the refresh core, as connect-log templates. */
export async function logTemplates(ctx: AppContext, sim: EbaySim, orgId: string) {
  const account = await buildAccount(ctx, sim, { orgId, accessExpiresInSeconds: 60 });
  await refreshAccount(ctx, account.accountId, { source: 'manual' });
  sim.control.revokeRefreshToken(account.grant.refresh_token);
  await refreshAccount(ctx, account.accountId, { source: 'manual' });
  const rows = await queryRows(
    ctx.db,
    sql`select request, response, error from ebay_connect_logs where account_id = ${account.accountId} order by id`,
    z.looseObject({ request: z.unknown(), response: z.unknown(), error: z.unknown() }),
  );
  if (rows.length !== 2 || rows[1]!.error === null) throw new Error('could not build connect-log templates');
  return {
    request: rows[0]!.request,
    response: rows[0]!.response,
    failedResponse: rows[1]!.response,
    failedError: rows[1]!.error,
  };
}
