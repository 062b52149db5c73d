import type { AccountStatus, Environment, RefreshErrorCode } from '@ebay-connector/contracts';
import type { AppContext } from '../../context.ts';
import { findServiceAccount, type ServiceAccountRow } from '../accounts/serviceAccounts.ts';
import { getValidAccessToken } from './getValidAccessToken.ts';
import type { OnDemandCircuit } from './onDemandCircuit.ts';
import { AccountNotFoundError } from './refreshAccount.ts';
import type { RequestedBy } from './refreshOutcome.ts';

/**
 * What the service API's access-token endpoint does for one API key and account: the account
 * within the key's org, a valid access token for at least `minValidSeconds` (refreshed on demand,
 * single-flight), or why not, as a value: `not_found`, `needs_reconnect` (with the account's
 * status and the reason) or `ebay_unavailable` (with a retry delay).
 */

export type ServiceTokenResult =
  | {
      ok: true;
      accessToken: string;
      expiresAt: Date;
      scopes: string[];
      environment: Environment;
      refreshed: boolean;
    }
  | { ok: false; kind: 'not_found' }
  | { ok: false; kind: 'needs_reconnect'; status: AccountStatus; reason: string }
  | { ok: false; kind: 'ebay_unavailable'; message: string; retryAfterSeconds: number };

/** Failures only the seller can fix by reconnecting (or an admin by repairing the token). */
const RECONNECT_CODES: ReadonlySet<RefreshErrorCode> = new Set([
  'invalid_grant',
  'refresh_token_expired',
  'missing_scopes',
  'decrypt_failed',
]);
const DEFAULT_RETRY_AFTER_SECONDS = 30;

const STATUS_REASONS: Partial<Record<AccountStatus, string>> = {
  disabled: 'an admin disabled the account',
  removed: 'an admin removed the account',
  deleted: 'eBay asked for the account to be deleted',
  needs_reconnect: 'the seller must reconnect the account',
};

export async function serviceAccessToken(
  ctx: AppContext,
  input: {
    orgId: string;
    accountId: string;
    minValidSeconds: number;
    requestedBy: RequestedBy;
    /** The proxy's retry: eBay refused the token that expires then (see getValidAccessToken). */
    rejectedExpiresAt?: Date;
    /** The account as `findServiceAccount` reads it, when the caller read it already (the auth guard). */
    account?: ServiceAccountRow | null | undefined;
  },
  circuit: OnDemandCircuit,
  onFound: (account: ServiceAccountRow) => void = () => {},
): Promise<ServiceTokenResult> {
  const account =
    input.account !== undefined
      ? input.account
      : await findServiceAccount(ctx.db, input.orgId, input.accountId);
  if (!account) return { ok: false, kind: 'not_found' };
  onFound(account);
  const reconnect = (row: ServiceAccountRow, reason?: string): ServiceTokenResult => ({
    ok: false,
    kind: 'needs_reconnect',
    status: row.status,
    reason: row.statusReason ?? reason ?? STATUS_REASONS[row.status] ?? 'the seller must reconnect',
  });
  if (account.status !== 'active') return reconnect(account);
  // The hot path: the token read with the account (and the key) is valid long enough — no query here.
  const minValidMs = input.minValidSeconds * 1000;
  if (
    !input.rejectedExpiresAt &&
    account.encryptedAccessToken &&
    account.accessExpiresAt &&
    account.accessExpiresAt.getTime() - ctx.now().getTime() >= minValidMs
  ) {
    const decrypted = ctx.cipher.decryptToken(account.encryptedAccessToken);
    if (decrypted.ok) {
      return {
        ok: true,
        accessToken: decrypted.plaintext,
        expiresAt: account.accessExpiresAt,
        scopes: account.scopes,
        environment: account.environment,
        refreshed: false,
      };
    }
  }
  let result: Awaited<ReturnType<typeof getValidAccessToken>>;
  try {
    result = await getValidAccessToken(ctx, account.ebay_account_id, {
      minValidMs,
      requestedBy: input.requestedBy,
      circuit,
      ...(input.rejectedExpiresAt ? { rejectedExpiresAt: input.rejectedExpiresAt } : {}),
    });
  } catch (err) {
    if (err instanceof AccountNotFoundError) return reconnect(account, 'no tokens are stored');
    throw err;
  }
  if (result.ok) return { ...result, scopes: account.scopes, environment: account.environment };
  if (RECONNECT_CODES.has(result.code)) {
    // The failed refresh may have just marked the account needs_reconnect: answer its status now.
    const now = await findServiceAccount(ctx.db, input.orgId, account.ebay_account_id);
    return reconnect(now ?? account, result.message);
  }
  return {
    ok: false,
    kind: 'ebay_unavailable',
    message: `eBay could not refresh the token right now (${result.code}: ${result.message}); try again later`,
    retryAfterSeconds: Math.max(1, Math.ceil(result.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS)),
  };
}
