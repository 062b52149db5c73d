import type { RefreshErrorCode } from '@ebay-connector/contracts';
import type { AppContext } from '../../context.ts';
import { loadAccessToken } from '../sql/loadTarget.ts';
import { AccountNotFoundError, refreshAccount } from './refreshAccount.ts';

/**
 * For code that calls eBay's APIs (order sync and the like): the account's access token,
 * refreshed on demand (`source=on_demand`) when it is missing or about to expire. Only one
 * refresh per account runs at a time across processes (the worker's lease); a caller that
 * finds the lease taken waits for that refresh instead of starting another, and one that gets
 * the lease just after another refresh finished uses that refresh's token (`unlessValidForMs`).
 */

export type AccessTokenResult =
  | { ok: true; accessToken: string; expiresAt: Date; refreshed: boolean }
  | { ok: false; code: RefreshErrorCode; message: string };

const MIN_REMAINING_MS = 60_000;
const WAIT_FOR_OTHER_REFRESH_MS = 15_000;
const POLL_MS = 200;

export async function getValidAccessToken(ctx: AppContext, accountId: string): Promise<AccessTokenResult> {
  const deadline = Date.now() + WAIT_FOR_OTHER_REFRESH_MS;
  for (;;) {
    const current = await readAccessToken(ctx, accountId);
    if (current.ok) return { ...current, refreshed: false };
    const outcome = await refreshAccount(ctx, accountId, {
      source: 'on_demand',
      // Only an expiring token can have been made good by a refresh that finished meanwhile; a
      // missing or unreadable one is refreshed whatever its expiry says.
      ...(current.why === 'expiring' ? { unlessValidForMs: MIN_REMAINING_MS } : {}),
    });
    if (outcome.kind === 'busy') {
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
    if (outcome.kind === 'attempted' && !outcome.result.ok) {
      return { ok: false, code: outcome.result.code, message: outcome.result.message };
    }
    const fresh = await readAccessToken(ctx, accountId);
    if (fresh.ok) return { ...fresh, refreshed: outcome.kind === 'attempted' };
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
  const stored = await loadAccessToken(ctx.db, accountId);
  if (!stored) throw new AccountNotFoundError(`account ${accountId} not found`);
  const expiresAt = stored.accessExpiresAt;
  if (!stored.accessToken || !expiresAt) return { ok: false, why: 'missing' };
  if (expiresAt.getTime() - ctx.now().getTime() < MIN_REMAINING_MS) return { ok: false, why: 'expiring' };
  const decrypted = ctx.cipher.decryptToken(stored.accessToken);
  return decrypted.ok
    ? { ok: true, accessToken: decrypted.plaintext, expiresAt }
    : { ok: false, why: 'unreadable' };
}
