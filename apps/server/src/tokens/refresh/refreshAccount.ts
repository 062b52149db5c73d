import { randomBytes } from 'node:crypto';
import type { AppContext } from '../../context.ts';
import { ebayEndpoints } from '../../ebay/endpoints.ts';
import { sendTokenRequest } from '../../ebay/oauthClient.ts';
import { buildRefreshRequest } from '../../ebay/refreshRequest.ts';
import { maskExchange } from '../../logs/mask.ts';
import { acquireLease, releaseLease } from '../sql/leases.ts';
import { loadRefreshTarget } from '../sql/loadTarget.ts';
import type { RefreshTarget } from '../sql/refreshTarget.ts';
import type {
  Attempt,
  AttemptResult,
  EbaySlot,
  GrantedTokens,
  RefreshOptions,
  RefreshOutcome,
} from './refreshOutcome.ts';
import { recordAttempt } from './refreshRecord.ts';

/**
 * The refresh core: one attempt to refresh one account's access token, for every caller
 * (worker, debug, manual, on-demand). It never sends a bad token to eBay: the request
 * builder decrypts exactly once and checks the result before any HTTP. Every attempt,
 * successful or not, leaves one refresh-log row and one connect-log row with the masked
 * HTTP transcript. Scheduling, retries and backoff belong to the caller (the worker).
 * Types in refreshOutcome.ts.
 */

const SINGLE_LEASE_SECONDS = 60;

export class AccountNotFoundError extends Error {}

export async function refreshAccount(
  ctx: AppContext,
  accountId: string,
  opts: RefreshOptions,
): Promise<RefreshOutcome> {
  const held = opts.leaseOwner !== undefined ? opts : null;
  const owner = held?.leaseOwner ?? `${ctx.instanceId}:${opts.source}:${randomBytes(4).toString('hex')}`;
  // A single-lease caller takes the lease first and reads the row once under it (a refresh that
  // finished before the take is in that read); only a caller that did not get it reads the row
  // to tell a busy account from a missing one. Two statements before the call to eBay, not four.
  if (!held && !(await acquireLease(ctx.db, accountId, owner, SINGLE_LEASE_SECONDS, ctx.now()))) {
    const other = await loadRefreshTarget(ctx.db, accountId);
    if (!other) throw new AccountNotFoundError(`account ${accountId} not found`);
    return { accountId, orgId: other.orgId, environment: other.environment, kind: 'busy' };
  }
  let released = false;
  try {
    const target = held?.target ?? (await loadRefreshTarget(ctx.db, accountId));
    if (!target) throw new AccountNotFoundError(`account ${accountId} not found`);
    const subject = { accountId, orgId: target.orgId, environment: target.environment };
    const unlessValidForMs = opts.leaseOwner === undefined ? opts.unlessValidForMs : undefined;
    const unlessExpiresAfter = opts.leaseOwner === undefined ? opts.unlessExpiresAfter : undefined;
    if (
      target.accessExpiresAt &&
      ((unlessValidForMs !== undefined &&
        target.accessExpiresAt.getTime() - ctx.now().getTime() >= unlessValidForMs) ||
        (unlessExpiresAfter !== undefined && target.accessExpiresAt > unlessExpiresAfter))
    ) {
      return { ...subject, kind: 'not_needed', accessExpiresAt: target.accessExpiresAt };
    }
    const attempt = await attemptRefresh(ctx, target, opts.ebaySlot);
    const result = await recordAttempt(ctx, target, {
      ...attempt,
      source: opts.source,
      leaseOwner: owner,
      // Every caller's success releases the lease in the commit that stores the new token: a
      // waiting on-demand caller that takes the lease next reads that token (`not_needed`).
      releaseLeaseOnSuccess: true,
      ...(opts.requestedBy ? { requestedBy: opts.requestedBy } : {}),
    });
    released = result.ok && !held;
    return {
      ...subject,
      kind: 'attempted',
      result,
      exchange: attempt.exchange,
      durationMs: attempt.durationMs,
    };
  } finally {
    if (!held && !released) await releaseLease(ctx.db, accountId, owner);
  }
}

async function attemptRefresh(ctx: AppContext, target: RefreshTarget, ebaySlot?: EbaySlot): Promise<Attempt> {
  const startedAt = ctx.now();
  const t0 = performance.now();
  const done = (result: AttemptResult<GrantedTokens>, exchange: Attempt['exchange'] = null): Attempt => ({
    startedAt,
    durationMs: Math.round(performance.now() - t0),
    exchange,
    result,
  });
  if (target.refreshExpiresAt && target.refreshExpiresAt <= startedAt) {
    return done({
      ok: false,
      code: 'refresh_token_expired',
      transient: false,
      message: `the refresh token expired at ${target.refreshExpiresAt.toISOString()}; the seller must reconnect`,
    });
  }
  const missing = target.scopes.length > 0 ? ctx.ebay.scopes.filter((s) => !target.scopes.includes(s)) : [];
  if (missing.length > 0) {
    return done({
      ok: false,
      code: 'missing_scopes',
      transient: false,
      message: `requested scopes not granted by this account: ${missing.join(' ')}; reconnect to grant them`,
    });
  }
  const endpoints = ebayEndpoints(target.environment, ctx.ebay.overrides);
  const built = buildRefreshRequest({
    tokenUrl: endpoints.tokenUrl,
    clientId: ctx.ebay.clientId,
    clientSecret: ctx.ebay.clientSecret,
    storedRefreshToken: target.refreshToken,
    scopes: ctx.ebay.scopes,
    cipher: ctx.cipher,
  });
  if (!built.ok) {
    return done({
      ok: false,
      code: 'decrypt_failed',
      transient: false,
      diagnosis: built.diagnosis,
      message: `refresh token ${built.diagnosis}: ${built.message}`,
    });
  }
  const send = () => sendTokenRequest(built.request, { timeoutMs: ctx.ebay.timeoutMs });
  const { exchange, outcome } = await (ebaySlot ? ebaySlot(send) : send());
  const masked = maskExchange(exchange, { clientSecret: ctx.ebay.clientSecret });
  if (!outcome.ok) {
    return done(
      {
        ok: false,
        code: outcome.code,
        transient: outcome.transient,
        message: outcome.message,
        ...(outcome.retryAfterSeconds !== undefined ? { retryAfterSeconds: outcome.retryAfterSeconds } : {}),
      },
      masked,
    );
  }
  const now = ctx.now();
  return done(
    {
      ok: true,
      accessToken: outcome.accessToken,
      accessExpiresAt: new Date(now.getTime() + outcome.expiresIn * 1000),
      ...(outcome.refreshToken ? { refreshToken: outcome.refreshToken } : {}),
      ...(outcome.refreshToken && outcome.refreshTokenExpiresIn
        ? { refreshExpiresAt: new Date(now.getTime() + outcome.refreshTokenExpiresIn * 1000) }
        : {}),
    },
    masked,
  );
}
