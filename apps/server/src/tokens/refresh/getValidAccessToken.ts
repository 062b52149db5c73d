import type { RefreshErrorCode } from '@ebay-connector/contracts';
import type { AppContext } from '../../context.ts';
import { loadAccessToken } from '../sql/loadTarget.ts';
import { rateLimitPauseUntil, recordRefreshPause } from '../sql/refreshPause.ts';
import type { OnDemandCircuit } from './onDemandCircuit.ts';
import { AccountNotFoundError, refreshAccount } from './refreshAccount.ts';
import type { RequestedBy } from './refreshOutcome.ts';

/**
 * For code that calls eBay's APIs (the service API `/api/v1`, order sync and the like): the
 * account's access token, refreshed on demand (`source=on_demand`) when it is missing or valid
 * for less than `minValidMs`. Single-flight across processes and replicas: only one refresh per
 * account runs at a time (the account's lease in the database); a caller that finds the lease
 * taken waits for that refresh instead of starting another, and one that gets the lease just
 * after another refresh finished uses that refresh's token (`unlessValidForMs`), so N concurrent
 * callers for an expired account cause exactly one call to eBay. A valid token costs one read.
 */

export type AccessTokenResult =
  | { ok: true; accessToken: string; expiresAt: Date; refreshed: boolean }
  | { ok: false; code: RefreshErrorCode; message: string; retryAfterSeconds?: number };

export interface AccessTokenOptions {
  /** The token must stay valid at least this long (default 60 s). */
  minValidMs?: number;
  /** The API key whose request this is: named in the refresh's log entry. */
  requestedBy?: RequestedBy;
  /** Stops on-demand refreshes while eBay keeps failing (the service API's breaker). */
  circuit?: OnDemandCircuit;
  /**
   * eBay refused the token that expires at this time (401, errorId 1001: it ended early): refresh
   * it even though its stored expiry says it is valid, unless it was replaced meanwhile. N callers
   * refused the same token still cause one refresh.
   */
  rejectedExpiresAt?: Date;
}

const DEFAULT_MIN_VALID_MS = 60_000;
const WAIT_FOR_OTHER_REFRESH_MS = 15_000;
/**
 * A waiter looks again this often (one indexed read and a lease take): a refresh that finished
 * is seen within 25 ms, not the 0–100 ms that cost waiters most of the latency budget (one eBay
 * call + 100 ms).
 */
const POLL_MS = 25;

export async function getValidAccessToken(
  ctx: AppContext,
  accountId: string,
  opts: AccessTokenOptions = {},
): Promise<AccessTokenResult> {
  const minValidMs = opts.minValidMs ?? DEFAULT_MIN_VALID_MS;
  const deadline = Date.now() + WAIT_FOR_OTHER_REFRESH_MS;
  for (;;) {
    const read = await readAccessToken(ctx, accountId, minValidMs);
    const rejected = opts.rejectedExpiresAt;
    const current =
      read.ok && rejected && read.expiresAt.getTime() === rejected.getTime()
        ? ({ ok: false, why: 'rejected' } as const)
        : read;
    if (current.ok) return { ...current, refreshed: false };
    const open = opts.circuit?.openFor(ctx.now());
    if (open) {
      return {
        ok: false,
        code: 'ebay_unavailable',
        message: `eBay failed the last refreshes; not calling it for ${open} s`,
        retryAfterSeconds: open,
      };
    }
    const outcome = await refreshAccount(ctx, accountId, {
      source: 'on_demand',
      ...(opts.requestedBy ? { requestedBy: opts.requestedBy } : {}),
      // Only an expiring token can have been made good by a refresh that finished meanwhile; a
      // missing or unreadable one is refreshed whatever its expiry says.
      ...(current.why === 'expiring' ? { unlessValidForMs: minValidMs } : {}),
      ...(current.why === 'rejected' && rejected ? { unlessExpiresAfter: rejected } : {}),
    });
    if (outcome.kind === 'busy') {
      if (Date.now() > deadline) {
        return {
          ok: false,
          code: 'timeout',
          message: 'another refresh of this account did not finish in time',
          retryAfterSeconds: 5,
        };
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
      continue;
    }
    if (outcome.kind === 'attempted') {
      opts.circuit?.record(outcome.result.ok ? null : outcome.result.code, ctx.now());
      if (!outcome.result.ok) {
        const { code, message, retryAfterSeconds } = outcome.result;
        // eBay's quota answer: the worker's warm refreshes pause too (the reserve is for these calls).
        const pauseUntil = code === 'rate_limited' ? rateLimitPauseUntil(retryAfterSeconds, ctx.now()) : null;
        if (pauseUntil) {
          await recordRefreshPause(
            ctx.db,
            pauseUntil,
            "eBay's token endpoint answered 429 (on demand)",
            ctx.now(),
          );
        }
        return {
          ok: false,
          code,
          message,
          ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
        };
      }
    }
    // Just refreshed (here or by another caller): the token as eBay granted it, even if eBay
    // granted less than `minValidMs`.
    const fresh = await readAccessToken(ctx, accountId, 1);
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
  minValidMs: number,
): Promise<
  | { ok: true; accessToken: string; expiresAt: Date }
  | { ok: false; why: 'missing' | 'expiring' | 'unreadable' }
> {
  const stored = await loadAccessToken(ctx.db, accountId);
  if (!stored) throw new AccountNotFoundError(`account ${accountId} not found`);
  const expiresAt = stored.accessExpiresAt;
  if (!stored.accessToken || !expiresAt) return { ok: false, why: 'missing' };
  if (expiresAt.getTime() - ctx.now().getTime() < minValidMs) return { ok: false, why: 'expiring' };
  const decrypted = ctx.cipher.decryptToken(stored.accessToken);
  return decrypted.ok
    ? { ok: true, accessToken: decrypted.plaintext, expiresAt }
    : { ok: false, why: 'unreadable' };
}
