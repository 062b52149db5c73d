import type {
  Action,
  HttpRequestView,
  HttpResponseView,
  RefreshErrorCode,
  Source,
} from '@ebay-connector/contracts';
import { type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { DecryptDiagnosis } from '../../crypto/tokenCipher.ts';
import { type Db, queryRowsPrepared } from '../../db/client.ts';
import { ebayTokens as t } from '../../db/schema.ts';
import { boundText, STORED_MESSAGE_MAX_CHARS } from '../../lib/boundText.ts';
import { connectLogRow } from '../../logs/connectLog.ts';
import type { RefreshTarget } from './refreshTarget.ts';

/** What one refresh attempt writes: the token row's change, and the two log rows. */
export interface AttemptWrite {
  target: RefreshTarget;
  leaseOwner: string;
  startedAt: Date;
  finishedAt: Date;
  durationMs: number;
  source: Source;
  action: Action;
  /** Masked. */
  request: HttpRequestView | null;
  response: HttpResponseView | null;
  change: TokenChange;
  /** The connect-log row's `summary` (an on-demand refresh names the API key that caused it). */
  summary?: Record<string, unknown> | null;
}

export type TokenChange =
  | {
      ok: true;
      /** Encrypted, like every token written. */
      accessToken: string;
      accessExpiresAt: Date;
      /** Only when eBay returned one: the stored refresh token is never erased. */
      refreshToken: string | null;
      refreshExpiresAt: Date | null;
      /** Release the lease in the same commit (the worker's own release then matches no row). */
      releaseLease: boolean;
    }
  | {
      ok: false;
      code: RefreshErrorCode;
      message: string;
      diagnosis?: DecryptDiagnosis;
      /** The account goes `needs_reconnect` with `message` as its reason. */
      needsReconnect: boolean;
    };

const writtenRow = z.object({ connect_log_id: z.union([z.number(), z.string()]) });

/**
 * Writes one attempt in one statement (so one commit, and all or nothing): the token row
 * (compare-and-set on version and lease owner, for failures too, so an attempt with a token the
 * seller has since replaced by reconnecting can neither overwrite the new one nor mark it
 * failed), the account status, one connect-log row and one refresh-log row. False when the
 * compare-and-set matched nothing: then nothing at all was written.
 */
export async function writeAttempt(db: Db, w: AttemptWrite): Promise<boolean> {
  const now = w.finishedAt.toISOString();
  const reconnect = !w.change.ok && w.change.needsReconnect;
  // Prepared: parsing and planning this statement cost PostgreSQL more than running it (benchmark 1).
  const written = await queryRowsPrepared(
    db,
    'write_attempt',
    sql`with token as (${tokenUpdate(w)}),
      account as (
        update ebay_accounts set status = 'needs_reconnect', status_reason = ${w.change.ok ? null : w.change.message},
          updated_at = ${now}
        where id = ${w.target.accountId} and ${reconnect}::boolean and exists (select 1 from token)
          -- An admin who disabled the account while this refresh ran keeps it disabled.
          and status = 'active'
        returning id
      ),
      ${logRows(w, sql`exists (select 1 from token)`)}`,
    writtenRow,
  );
  return written.length === 1;
}

/** Both log rows of an attempt and nothing else: an attempt whose compare-and-set found the row changed. */
export async function writeAttemptLogs(db: Db, w: AttemptWrite): Promise<void> {
  await db.execute(sql`with ${logRows(w, sql`true`)}`);
}

function tokenUpdate(w: AttemptWrite): SQL {
  const now = w.finishedAt.toISOString();
  const matches = sql`${t.accountId} = ${w.target.accountId} and ${t.version} = ${w.target.version}
    and ${t.leaseOwner} = ${w.leaseOwner}`;
  if (!w.change.ok) {
    return sql`update ebay_tokens set last_refresh_at = ${now}, last_refresh_success = false,
        consecutive_failures = consecutive_failures + 1, last_error_code = ${w.change.code},
        last_error_message = ${boundText(w.change.message, STORED_MESSAGE_MAX_CHARS)}, updated_at = ${now}
      where ${matches}
      returning ${t.accountId}`;
  }
  const c = w.change;
  // Releasing the worker's lease here saves the worker a statement per refresh
  // (docs/PERFORMANCE.md, benchmark 1).
  const release = c.releaseLease ? sql`lease_owner = null, lease_until = null,` : sql``;
  return sql`update ebay_tokens set
      access_token = ${c.accessToken},
      access_expires_at = ${c.accessExpiresAt.toISOString()},
      refresh_token = coalesce(${c.refreshToken}, refresh_token),
      refresh_expires_at = coalesce(${c.refreshExpiresAt?.toISOString() ?? null}, refresh_expires_at),
      version = version + 1, last_refresh_at = ${now}, last_refresh_success = true,
      consecutive_failures = 0, last_error_code = null, last_error_message = null, next_attempt_at = null,
      ${release} updated_at = ${now}
    where ${matches}
    returning ${t.accountId}`;
}

/** `connect_log as (…) insert into ebay_token_refresh_logs …`: both log rows of an attempt, if `condition`. */
function logRows(w: AttemptWrite, condition: SQL): SQL {
  const { target, change } = w;
  const connectLog = connectLogRow({
    orgId: target.orgId,
    accountId: target.accountId,
    environment: target.environment,
    action: w.action,
    source: w.source,
    request: w.request,
    response: w.response,
    error: change.ok
      ? null
      : {
          code: change.code,
          message: change.message,
          ...(change.diagnosis ? { diagnosis: change.diagnosis } : {}),
        },
    durationMs: w.durationMs,
    createdAt: w.finishedAt,
    summary: w.summary ?? null,
  });
  return sql`connect_log as (insert into ebay_connect_logs ${connectLog} where ${condition} returning id)
    insert into ebay_token_refresh_logs (org_id, account_id, started_at, finished_at, success, error_code,
      error_message, triggered_by, old_access_expires_at, new_access_expires_at, duration_ms, connect_log_id)
    select ${target.orgId}::uuid, ${target.accountId}::uuid, ${w.startedAt.toISOString()}::timestamptz,
      ${w.finishedAt.toISOString()}::timestamptz, ${change.ok}::boolean, ${change.ok ? null : change.code}::text,
      ${change.ok ? null : boundText(change.message, STORED_MESSAGE_MAX_CHARS)}::text, ${w.source}::text,
      ${target.accessExpiresAt?.toISOString() ?? null}::timestamptz,
      ${change.ok ? change.accessExpiresAt.toISOString() : null}::timestamptz, ${w.durationMs}::int, connect_log.id
    from connect_log
    returning connect_log_id`;
}
