import { randomBytes } from 'node:crypto';
import type {
  Environment,
  HttpRequestView,
  HttpResponseView,
  RefreshErrorCode,
  Source,
} from '@ebay-connector/contracts';
import type { AppContext } from '../../context.ts';
import type { DecryptDiagnosis } from '../../crypto/tokenCipher.ts';
import { ebayEndpoints } from '../../ebay/endpoints.ts';
import type { CapturedExchange } from '../../ebay/httpCapture.ts';
import { sendTokenRequest, type TokenCallResult } from '../../ebay/oauthClient.ts';
import { buildRefreshRequest } from '../../ebay/refreshRequest.ts';
import { maskExchange } from '../../logs/mask.ts';
import { acquireLease, releaseLease } from './lease.ts';
import { type AttemptRecord, loadRefreshTarget, type RefreshTarget, recordAttempt } from './refreshRecord.ts';

/**
 * The refresh core: one attempt to refresh one account's access token, for every caller
 * (worker, debug, manual, on-demand). It never sends a bad token to eBay: the request
 * builder decrypts exactly once and checks the result before any HTTP. Every attempt,
 * successful or not, leaves one refresh-log row and one connect-log row with the masked
 * HTTP transcript. Scheduling, retries and backoff belong to the caller (the worker).
 */

export interface RefreshOptions {
  source: Source;
  /** Logged as `token_refresh_debug` (the per-account debug terminal). */
  debug?: boolean;
  /** The caller already holds the lease under this owner (the worker's claim). */
  leaseOwner?: string;
  /** With `leaseOwner`: the row as read under that lease (the worker's claim returns it). */
  target?: RefreshTarget;
  /**
   * On-demand callers: do nothing if, once the lease is held, the access token turns out to be
   * valid for at least this long (another caller or the worker refreshed it meanwhile).
   */
  unlessValidForMs?: number;
  /**
   * Runs the call to eBay. The worker passes its limiter, so that TOKEN_REFRESH_CONCURRENCY
   * bounds the calls to eBay while more refreshes are in flight: one writes its result while
   * another waits on eBay.
   */
  ebaySlot?: EbaySlot;
}

export type EbaySlot = (call: () => Promise<TokenCallResult>) => Promise<TokenCallResult>;

export interface RefreshResult {
  success: boolean;
  accountId: string;
  orgId: string;
  environment: Environment;
  errorCode: RefreshErrorCode | null;
  errorMessage: string | null;
  diagnosis: DecryptDiagnosis | null;
  /** Masked. Null when no HTTP was made. */
  request: HttpRequestView | null;
  response: HttpResponseView | null;
  durationMs: number;
  accessExpiresAt: Date | null;
  /** Worth retrying soon (5xx, 429, timeouts, resets). */
  transient: boolean;
  retryAfterSeconds?: number;
  /** Another process holds this account's lease; nothing was attempted. */
  busy?: boolean;
  /** `unlessValidForMs` held: the token was refreshed meanwhile; nothing was attempted. */
  notNeeded?: boolean;
}

const SINGLE_LEASE_SECONDS = 60;

export class AccountNotFoundError extends Error {}

export async function refreshAccount(
  ctx: AppContext,
  accountId: string,
  opts: RefreshOptions,
): Promise<RefreshResult> {
  const found = (opts.leaseOwner && opts.target) || (await loadRefreshTarget(ctx.db, accountId));
  if (!found) throw new AccountNotFoundError(`account ${accountId} not found`);
  const owner = opts.leaseOwner ?? `${ctx.instanceId}:${opts.source}:${randomBytes(4).toString('hex')}`;
  if (!opts.leaseOwner && !(await acquireLease(ctx.db, accountId, owner, SINGLE_LEASE_SECONDS, ctx.now()))) {
    return {
      ...emptyResult(found.orgId, accountId, found.environment),
      errorCode: null,
      errorMessage: 'another refresh of this account is in progress',
      busy: true,
    };
  }
  try {
    // Read again under a lease taken just now: a refresh that finished in between changed the row.
    const target = opts.leaseOwner ? found : ((await loadRefreshTarget(ctx.db, accountId)) ?? found);
    const validUntil = target.accessExpiresAt?.getTime() ?? 0;
    if (opts.unlessValidForMs !== undefined && validUntil - ctx.now().getTime() >= opts.unlessValidForMs) {
      return {
        ...emptyResult(target.orgId, accountId, target.environment),
        success: true,
        accessExpiresAt: target.accessExpiresAt,
        notNeeded: true,
      };
    }
    const attempt = await attemptRefresh(ctx, target, opts.ebaySlot);
    const record: AttemptRecord = {
      ...attempt,
      source: opts.source,
      debug: opts.debug ?? false,
      leaseOwner: owner,
      releaseLeaseOnSuccess: opts.leaseOwner !== undefined,
    };
    const stored = await recordAttempt(ctx, target, record);
    const { exchange, outcome } = stored;
    return {
      success: outcome.ok,
      accountId,
      orgId: target.orgId,
      environment: target.environment,
      errorCode: outcome.ok ? null : outcome.code,
      errorMessage: outcome.ok ? null : outcome.message,
      diagnosis: outcome.ok ? null : (outcome.diagnosis ?? null),
      request: exchange?.request ?? null,
      response: exchange?.response ?? null,
      durationMs: attempt.durationMs,
      accessExpiresAt: outcome.ok ? outcome.accessExpiresAt : null,
      transient: !outcome.ok && outcome.transient,
      ...(!outcome.ok && outcome.retryAfterSeconds !== undefined
        ? { retryAfterSeconds: outcome.retryAfterSeconds }
        : {}),
    };
  } finally {
    if (!opts.leaseOwner) await releaseLease(ctx.db, accountId, owner);
  }
}

export type AttemptOutcome =
  | { ok: true; accessToken: string; accessExpiresAt: Date; refreshToken?: string; refreshExpiresAt?: Date }
  | {
      ok: false;
      code: RefreshErrorCode;
      message: string;
      transient: boolean;
      diagnosis?: DecryptDiagnosis;
      retryAfterSeconds?: number;
    };

export interface Attempt {
  startedAt: Date;
  durationMs: number;
  /** Masked transcript, or null when the attempt stopped before any HTTP. */
  exchange: Pick<CapturedExchange, 'request' | 'response'> | null;
  outcome: AttemptOutcome;
}

async function attemptRefresh(ctx: AppContext, target: RefreshTarget, ebaySlot?: EbaySlot): Promise<Attempt> {
  const startedAt = ctx.now();
  const t0 = performance.now();
  const done = (outcome: AttemptOutcome, exchange: Attempt['exchange'] = null): Attempt => ({
    startedAt,
    durationMs: Math.round(performance.now() - t0),
    exchange,
    outcome,
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

function emptyResult(orgId: string, accountId: string, environment: Environment): RefreshResult {
  return {
    success: false,
    accountId,
    orgId,
    environment,
    errorCode: null,
    errorMessage: null,
    diagnosis: null,
    request: null,
    response: null,
    durationMs: 0,
    accessExpiresAt: null,
    transient: false,
  };
}
