import type {
  AccountStatus,
  DoctorAccount,
  DoctorCause,
  DoctorProblem,
  Environment,
  KeyRingSource,
  RepairAction,
  RepairStep,
} from '@ebay-connector/contracts';
import type { TokenCipher } from '../../crypto/tokenCipher.ts';
import { maskFreeText } from '../../logs/mask.ts';
import { REFRESH_EXPIRY_WARNING_MS } from '../sql/tokenState.ts';
import { checkStoredToken, type StoredTokenCheck } from './doctorCheck.ts';

/**
 * The doctor's verdict on one token row, and the repair that follows from it (pure: no I/O).
 * Crypto repairs apply to every account, disabled or waiting for a reconnect too, so that a
 * rotated-out key can always be retired; status changes apply to active accounts only.
 * A token under a key missing from the ring is left alone (`add_key_back`: the key goes back
 * and it works again) unless the repair is told the key is lost for good. A selection (by
 * cause) limits the plan to the chosen causes; the problems listed stay the same.
 */

export interface TokenRowSnapshot {
  accountId: string;
  orgId: string;
  environment: Environment;
  houseName: string;
  ebayUsername: string | null;
  status: AccountStatus;
  statusReason: string | null;
  accessToken: string | null;
  refreshToken: string;
  refreshExpiresAt: Date | null;
  scopes: string[];
  version: number;
  leaseUntil: Date | null;
}

/** A token value to store instead of the current one (encrypted under the current key at apply time). */
export type TokenWrite =
  | { action: 're_encrypt' | 'unwrap' | 'encrypt_plaintext'; plaintext: string }
  | { action: 'discard_access_token' };

export interface RowRepairPlan {
  refresh: Extract<TokenWrite, { plaintext: string }> | null;
  access: TokenWrite | null;
  /** status_reason to set when the account must be marked needs_reconnect. */
  needsReconnectReason: string | null;
  steps: RepairStep[];
}

export interface RowDiagnosis {
  account: DoctorAccount;
  plan: RowRepairPlan;
  /** The account needs (or, after this repair, will need) the seller to reconnect. */
  needsSeller: boolean;
  /** A token of it waits for its key to be added back to the ring. */
  waitingForKey: boolean;
}

/** What the repair is asked to do: only some causes; give up on missing keys or not. */
export interface RepairSelection {
  causes?: ReadonlySet<DoctorCause> | undefined;
  unknownKey: 'leave' | 'mark_needs_reconnect';
}

export interface DiagnoseEnv {
  cipher: TokenCipher;
  requiredScopes: readonly string[];
  now: Date;
  selection?: RepairSelection | undefined;
  /** Where a missing key goes back, named in the problem's message. */
  keyRing?: KeyRingSource | undefined;
}

export function diagnoseRow(row: TokenRowSnapshot, env: DiagnoseEnv): RowDiagnosis {
  const problems: DoctorProblem[] = [];
  const plan: RowRepairPlan = { refresh: null, access: null, needsReconnectReason: null, steps: [] };
  const canMark = row.status === 'active';
  const causes = env.selection?.causes;
  const selected = (cause: DoctorCause) => !causes || causes.has(cause);
  const waitForKey = (check: StoredTokenCheck) =>
    check.state === 'unknown_key_id' && env.selection?.unknownKey !== 'mark_needs_reconnect';
  const reconnect = (reason: string, cause: DoctorCause): RepairAction => {
    if (!canMark) return 'seller_reconnect';
    if (selected(cause)) plan.needsReconnectReason ??= `token doctor: ${reason}`;
    return 'mark_needs_reconnect';
  };

  const refresh = checkStoredToken(env.cipher, row.refreshToken);
  const refreshWrite = writeFor(refresh);
  if (refresh.state !== 'ok' || !refresh.current) {
    const cause = causeOf(refresh);
    let repair: RepairAction;
    if (refreshWrite) {
      repair = refreshWrite.action;
      if (selected(cause)) plan.refresh = refreshWrite;
    } else {
      repair = waitForKey(refresh) ? 'add_key_back' : reconnect(`refresh token ${refresh.state}`, cause);
    }
    problems.push(tokenProblem('refresh', refresh, repair, env));
  }

  const access = row.accessToken === null ? null : checkStoredToken(env.cipher, row.accessToken);
  if (access && (access.state !== 'ok' || !access.current)) {
    // An unusable access token is not worth a reconnect: dropping it makes the worker refresh it.
    const write: TokenWrite | null = waitForKey(access)
      ? null
      : (writeFor(access) ?? { action: 'discard_access_token' });
    if (write && selected(causeOf(access))) plan.access = write;
    problems.push(tokenProblem('access', access, write?.action ?? 'add_key_back', env));
  }

  if (row.refreshExpiresAt && row.refreshExpiresAt <= env.now) {
    const message = `the refresh token expired at ${row.refreshExpiresAt.toISOString()}`;
    problems.push(
      accountProblem('refresh_token_expired', 'error', message, reconnect(message, 'refresh_token_expired')),
    );
  } else if (
    row.refreshExpiresAt &&
    row.refreshExpiresAt.getTime() - env.now.getTime() <= REFRESH_EXPIRY_WARNING_MS
  ) {
    const message = `the refresh token expires at ${row.refreshExpiresAt.toISOString()} (within 30 days); ask the seller to reconnect before then`;
    problems.push(accountProblem('refresh_token_expiring', 'warning', message, 'seller_reconnect'));
  }

  // Same rule as the refresh core: an empty granted list means "not recorded", not "none".
  const missingScopes =
    row.scopes.length > 0 ? env.requiredScopes.filter((s) => !row.scopes.includes(s)) : [];
  if (missingScopes.length > 0) {
    const message = `configured scopes not granted by this account: ${missingScopes.join(' ')}`;
    problems.push(
      accountProblem('missing_scopes', 'error', message, reconnect('missing scopes', 'missing_scopes')),
    );
  }

  if (row.status === 'needs_reconnect') {
    const message = row.statusReason
      ? maskFreeText(row.statusReason)
      : 'the account is marked needs_reconnect';
    problems.push(accountProblem('needs_reconnect', 'error', message, 'seller_reconnect'));
  }

  for (const p of problems) {
    if (p.repair !== 'seller_reconnect' && p.repair !== 'add_key_back' && selected(p.cause))
      plan.steps.push({ token: p.token, action: p.repair, cause: p.cause, detail: p.message });
  }
  return {
    account: presentAccount(row, refresh, access, missingScopes, problems),
    plan,
    needsSeller: row.status === 'needs_reconnect' || plan.needsReconnectReason !== null,
    waitingForKey: problems.some((p) => p.repair === 'add_key_back'),
  };
}

/** The cause a stored token is listed under: its diagnosis, or `old_key` when it decrypts under an old key. */
function causeOf(check: StoredTokenCheck): DoctorCause {
  return check.state === 'ok' ? 'old_key' : check.state;
}

function writeFor(check: StoredTokenCheck): Extract<TokenWrite, { plaintext: string }> | null {
  if (check.state === 'ok')
    return check.current ? null : { action: 're_encrypt', plaintext: check.plaintext };
  return check.recovered ? { action: check.recovered.via, plaintext: check.recovered.plaintext } : null;
}

function tokenProblem(
  token: 'access' | 'refresh',
  check: StoredTokenCheck,
  repair: RepairAction,
  { cipher, keyRing }: DiagnoseEnv,
): DoctorProblem {
  if (repair === 'add_key_back' && check.state !== 'ok') {
    const where = keyRing ? ` to ${keyRingPlace(keyRing)}` : '';
    return {
      cause: check.state,
      token,
      severity: 'error',
      message: `${token} token: ${check.message}; add key "${check.keyId}" back${where} and it decrypts again`,
      repair,
    };
  }
  if (check.state === 'ok') {
    return {
      cause: 'old_key',
      token,
      severity: 'warning',
      message: `${token} token is encrypted under key "${check.keyId}", not the current key "${cipher.currentKeyId}"; re-encrypt before retiring it`,
      repair,
    };
  }
  return {
    cause: check.state,
    token,
    severity: 'error',
    message: `${token} token: ${check.message}`,
    repair,
  };
}

/** `TOKEN_ENCRYPTION_KEYS` or `the key file ./data/token-encryption-keys`. */
export function keyRingPlace(keyRing: KeyRingSource): string {
  return keyRing.source === 'env' ? keyRing.location : `the key file ${keyRing.location}`;
}

function accountProblem(
  cause: DoctorProblem['cause'],
  severity: DoctorProblem['severity'],
  message: string,
  repair: RepairAction,
): DoctorProblem {
  return { cause, token: null, severity, message, repair };
}

function presentAccount(
  row: TokenRowSnapshot,
  refresh: StoredTokenCheck,
  access: StoredTokenCheck | null,
  missingScopes: string[],
  problems: DoctorProblem[],
): DoctorAccount {
  return {
    ebay_account_id: row.accountId,
    house_name: row.houseName,
    environment: row.environment,
    ebay_username: row.ebayUsername,
    status: row.status,
    status_reason: row.statusReason ? maskFreeText(row.statusReason) : null,
    access_token: access ? { state: access.state, key_id: access.keyId } : { state: 'missing', key_id: null },
    refresh_token: { state: refresh.state, key_id: refresh.keyId },
    refresh_token_expires_at: row.refreshExpiresAt?.toISOString() ?? null,
    missing_scopes: missingScopes,
    problems,
  };
}
