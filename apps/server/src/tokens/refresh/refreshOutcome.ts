import type {
  Environment,
  HttpRequestView,
  HttpResponseView,
  RefreshErrorCode,
  Source,
} from '@ebay-connector/contracts';
import type { DecryptDiagnosis } from '../../crypto/tokenCipher.ts';
import type { TokenCallResult } from '../../ebay/oauthClient.ts';
import type { RefreshTarget } from '../sql/refreshTarget.ts';

/**
 * What the refresh core takes and gives back. Expected failures are values with a code (the
 * contract's RefreshErrorCode), never throws: a caller switches on `kind`, then on `ok`.
 */

/** Why an attempt stored no new access token. */
export interface RefreshFailure {
  ok: false;
  code: RefreshErrorCode;
  message: string;
  /** Worth retrying soon (5xx, 429, timeouts, resets). */
  transient: boolean;
  /** decrypt_failed: what is wrong with the stored refresh token. */
  diagnosis?: DecryptDiagnosis;
  retryAfterSeconds?: number;
}

/** The new access token's expiry, once stored. */
export interface StoredAccess {
  accessExpiresAt: Date;
}

/** What eBay granted, in clear: only between the call and the write that encrypts it. */
export interface GrantedTokens extends StoredAccess {
  accessToken: string;
  /** eBay normally returns none; stored if it ever does. */
  refreshToken?: string;
  refreshExpiresAt?: Date;
}

/** The result of one attempt: `T` on success, or the failure. */
export type AttemptResult<T = StoredAccess> = ({ ok: true } & T) | RefreshFailure;

/** Masked request and response; the response is null when none came (timeout, reset). */
export interface MaskedExchange {
  request: HttpRequestView;
  response: HttpResponseView | null;
}

/** One attempt, before it is written: when, how long, what was sent and what came back. */
export interface Attempt {
  startedAt: Date;
  durationMs: number;
  /** Null when the attempt stopped before any HTTP. */
  exchange: MaskedExchange | null;
  result: AttemptResult<GrantedTokens>;
}

export interface RefreshSubject {
  accountId: string;
  orgId: string;
  environment: Environment;
}

/** Another process holds this account's lease; nothing was attempted. */
export interface RefreshBusy extends RefreshSubject {
  kind: 'busy';
}

/** `unlessValidForMs` held once the lease was taken: refreshed meanwhile; nothing was attempted. */
export interface RefreshNotNeeded extends RefreshSubject {
  kind: 'not_needed';
  accessExpiresAt: Date;
}

/** One attempt (a call to eBay, or a stop before it), written with its logs. */
export interface RefreshAttempted extends RefreshSubject {
  kind: 'attempted';
  result: AttemptResult;
  exchange: MaskedExchange | null;
  durationMs: number;
}

export type RefreshOutcome = RefreshBusy | RefreshNotNeeded | RefreshAttempted;

/**
 * Runs the call to eBay. The worker passes its limiter, so that TOKEN_REFRESH_CONCURRENCY
 * bounds the calls to eBay while more refreshes are in flight: one writes its result while
 * another waits on eBay.
 */
export interface RequestedBy {
  apiKeyId: string;
  apiKeyName: string;
}

export type EbaySlot = (call: () => Promise<TokenCallResult>) => Promise<TokenCallResult>;

/**
 * Every caller names its `source` (`debug` logs the attempt as `token_refresh_debug`, for the
 * per-account debug terminal). A caller either lets the core take the account's lease for this
 * one attempt, or already holds it (the worker's claim).
 */
export type RefreshOptions = {
  source: Source;
  ebaySlot?: EbaySlot;
  /** On-demand refreshes a service asked for: the API key, named in the log entry (`summary`). */
  requestedBy?: RequestedBy;
} & (
  | {
      leaseOwner?: undefined;
      /**
       * On-demand callers: do nothing if, once the lease is held, the access token turns out to
       * be valid for at least this long (another caller or the worker refreshed it meanwhile).
       */
      unlessValidForMs?: number;
      /**
       * On-demand callers whose token eBay refused: do nothing if, once the lease is held, the
       * stored access token expires later than this one did (it was replaced meanwhile).
       */
      unlessExpiresAfter?: Date;
    }
  | {
      /** The caller holds the lease under this owner. */
      leaseOwner: string;
      /** The row as read under that lease (the worker's claim returns it). */
      target?: RefreshTarget;
    }
);
