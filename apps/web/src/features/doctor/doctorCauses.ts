import type { DoctorAccount, DoctorCause, DoctorProblem, RepairAction } from '@ebay-connector/contracts';

/** Words for the token doctor's causes and repairs, and the grouping of problems by cause. */

export const causeInfo: Record<DoctorCause, { title: string; description: string }> = {
  unknown_key_id: {
    title: 'Encrypted with a key that is not in the ring',
    description:
      'The key id in the stored value is not in the key ring. Usually the key was removed too early: add it back and these tokens work again. The repair leaves them alone unless you say the key is lost for good.',
  },
  auth_failed: {
    title: 'Does not decrypt (wrong key or corrupted)',
    description:
      'The ciphertext does not authenticate under its key: the value is corrupted or the key is wrong.',
  },
  malformed: {
    title: 'Malformed stored value',
    description: 'The stored value is not in the ENC:v1:<key id>:<data> format.',
  },
  double_encrypted: {
    title: 'Encrypted twice',
    description:
      'The value decrypts to another ENC: value. When the inner value is a valid eBay token, the repair unwraps it.',
  },
  not_an_ebay_token: {
    title: 'Decrypts, but not to an eBay token',
    description: 'The decrypted value does not start with v^, so it would be rejected by eBay.',
  },
  plaintext_legacy: {
    title: 'Stored without encryption',
    description: 'A legacy row stored in clear. When it is a valid eBay token, the repair encrypts it.',
  },
  old_key: {
    title: 'Encrypted under an old key',
    description:
      'Works today, but blocks retiring the old key. The repair re-encrypts it under the current key.',
  },
  refresh_token_expired: {
    title: 'Refresh token expired',
    description: 'eBay refresh tokens last about 18 months; after that only a reconnect helps.',
  },
  refresh_token_expiring: {
    title: 'Refresh token expires within 30 days',
    description: 'Ask the seller to reconnect before it expires, so refreshing never stops.',
  },
  missing_scopes: {
    title: 'Scopes not granted',
    description: 'The account did not grant every scope this deployment asks for (EBAY_SCOPES).',
  },
  needs_reconnect: {
    title: 'Needs reconnect',
    description:
      'eBay refused the refresh token (revoked, password changed) or the repair marked the account.',
  },
};

export const repairLabel: Record<RepairAction, string> = {
  re_encrypt: 'Re-encrypt under the current key',
  unwrap: 'Unwrap to the inner token',
  encrypt_plaintext: 'Encrypt it',
  discard_access_token: 'Drop the access token; the worker fetches a new one',
  mark_needs_reconnect: 'Mark needs reconnect; the seller must reconnect',
  seller_reconnect: 'Only the seller can fix this: Reconnect',
  add_key_back: 'Add the key back to the key ring; nothing to repair',
};

/** Repairs the repair itself carries out (a write or a status change); the rest are someone's to do. */
export const repairDoes = (repair: RepairAction) =>
  repair !== 'seller_reconnect' && repair !== 'add_key_back';

/** Causes the admin can choose to repair: those with something the repair does, and a missing key (to give up on it). */
export function repairableCauses(groups: readonly CauseGroup[]): DoctorCause[] {
  return groups
    .filter((g) => g.cause === 'unknown_key_id' || g.entries.some((e) => repairDoes(e.problem.repair)))
    .map((g) => g.cause);
}

/** Problems only the seller can fix, now or once the repair has marked the account. */
export const sellerMustReconnect = (problem: DoctorProblem) =>
  problem.repair === 'seller_reconnect' || problem.repair === 'mark_needs_reconnect';

const CAUSE_ORDER = Object.keys(causeInfo) as DoctorCause[];

export interface CauseGroup {
  cause: DoctorCause;
  severity: 'error' | 'warning';
  entries: Array<{ account: DoctorAccount; problem: DoctorProblem }>;
}

/** One group per cause (errors before warnings), each listing the accounts with that problem. */
export function groupByCause(accounts: readonly DoctorAccount[]): CauseGroup[] {
  const groups = new Map<DoctorCause, CauseGroup>();
  for (const account of accounts) {
    for (const problem of account.problems) {
      const group = groups.get(problem.cause) ?? {
        cause: problem.cause,
        severity: problem.severity,
        entries: [],
      };
      if (problem.severity === 'error') group.severity = 'error';
      group.entries.push({ account, problem });
      groups.set(problem.cause, group);
    }
  }
  return [...groups.values()].sort(
    (a, b) =>
      (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1) ||
      CAUSE_ORDER.indexOf(a.cause) - CAUSE_ORDER.indexOf(b.cause),
  );
}
