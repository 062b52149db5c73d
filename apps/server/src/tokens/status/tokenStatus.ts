import type { TokenState } from '@ebay-connector/contracts';

/** Thirty days: inside this a refresh token's expiry is worth a warning (the seller must reconnect). */
export const REFRESH_EXPIRY_WARNING_MS = 30 * 24 * 3600 * 1000;

export interface TokenStateInput {
  status: 'active' | 'needs_reconnect' | 'disabled';
  accessExpiresAt: Date | null;
  refreshExpiresAt: Date | null;
  lastRefreshSuccess: boolean | null;
  consecutiveFailures: number;
}

/** The one place that decides which badge an account gets; the status card counts these. */
export function deriveTokenState(row: TokenStateInput, now: Date, thresholdSeconds: number): TokenState {
  if (row.status === 'disabled') return 'disabled';
  if (row.status === 'needs_reconnect') return 'needs_reconnect';
  if (row.refreshExpiresAt && row.refreshExpiresAt <= now) return 'needs_reconnect';
  if (row.lastRefreshSuccess === false && row.consecutiveFailures > 0) return 'failing';
  if (!row.accessExpiresAt || row.accessExpiresAt <= now) return 'expired';
  if (row.accessExpiresAt.getTime() - now.getTime() <= thresholdSeconds * 1000) return 'expiring_soon';
  if (row.refreshExpiresAt && row.refreshExpiresAt.getTime() - now.getTime() <= REFRESH_EXPIRY_WARNING_MS) {
    return 'expiring_soon';
  }
  return 'healthy';
}
