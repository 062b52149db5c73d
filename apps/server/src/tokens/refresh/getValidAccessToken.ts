import { sql } from 'drizzle-orm';
import type { AppContext } from '../../context.ts';
import { queryRows } from '../../db/client.ts';
import { AccountNotFoundError, refreshAccount } from './refreshAccount.ts';
import { toDate } from './refreshRecord.ts';

/**
 * For code that calls eBay's APIs (order sync and the like): the account's access token,
 * refreshed on demand (`source=on_demand`) when it is missing or about to expire. Only one
 * refresh per account runs at a time across processes (the worker's lease); a caller that
 * finds the lease taken waits for that refresh instead of starting another, and one that gets
 * the lease just after another refresh finished uses that refresh's token (`unlessValidForMs`).
 */

export type AccessTokenResult =
  | { ok: true; accessToken: string; expiresAt: Date; refreshed: boolean }
  | { ok: false; code: string; message: string };

const MIN_REMAINING_MS = 60_000;
const WAIT_FOR_OTHER_REFRESH_MS = 15_000;
const POLL_MS = 200;

export async function getValidAccessToken(ctx: AppContext, accountId: string): Promise<AccessTokenResult> {
  const deadline = Date.now() + WAIT_FOR_OTHER_REFRESH_MS;
  for (;;) {
    const current = await readAccessToken(ctx, accountId);
    if (current.ok) return { ...current, refreshed: false };
    const result = await refreshAccount(ctx, accountId, {
      source: 'on_demand',
      // Only an expiring token can have been made good by a refresh that finished meanwhile; a
      // missing or unreadable one is refreshed whatever its expiry says.
      ...(current.why === 'expiring' ? { unlessValidForMs: MIN_REMAINING_MS } : {}),
    });
    if (result.busy) {
      if (Date.now() > deadline) {
        return {
          ok: false,
          code: 'timeout',
          message: 'another refresh of this account did not finish in time',
        };
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
      continue;
    }
    if (!result.success)
      return { ok: false, code: result.errorCode ?? 'unknown', message: result.errorMessage ?? '' };
    const fresh = await readAccessToken(ctx, accountId);
    if (fresh.ok) return { ...fresh, refreshed: !result.notNeeded };
    return {
      ok: false,
      code: 'decrypt_failed',
      message: 'the refreshed access token could not be read back',
    };
  }
}

async function readAccessToken(
  ctx: AppContext,
  accountId: string,
): Promise<
  | { ok: true; accessToken: string; expiresAt: Date }
  | { ok: false; why: 'missing' | 'expiring' | 'unreadable' }
> {
  const [row] = await queryRows<{ access_token: string | null; access_expires_at: Date | string | null }>(
    ctx.db,
    sql`select t.access_token, t.access_expires_at from ebay_tokens t where t.account_id = ${accountId}`,
  );
  if (!row) throw new AccountNotFoundError(`account ${accountId} not found`);
  const expiresAt = toDate(row.access_expires_at);
  if (!row.access_token || !expiresAt) return { ok: false, why: 'missing' };
  if (expiresAt.getTime() - ctx.now().getTime() < MIN_REMAINING_MS) return { ok: false, why: 'expiring' };
  const decrypted = ctx.cipher.decryptToken(row.access_token);
  return decrypted.ok
    ? { ok: true, accessToken: decrypted.plaintext, expiresAt }
    : { ok: false, why: 'unreadable' };
}
