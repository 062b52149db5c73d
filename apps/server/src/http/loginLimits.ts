import type { Db } from '../db/client.ts';
import { TooManyRequestsError } from './errors.ts';
import { countHit, peekHits } from './rateLimitStore.ts';

/**
 * The sign-in limits beyond the route's own (10 attempts a minute per IP and email), counted in
 * `rate_limits` like every other limit, so they hold across web replicas:
 *
 * - **per IP, across emails**: 30 failed sign-ins a minute from one address, whatever emails
 *   they name (password spraying); successful sign-ins do not count (an office behind one NAT).
 * - **per account, across IPs**: 10 failed sign-ins of one email within 15 minutes lock the
 *   account until that window ends (at most 15 minutes after its first failure) — for the
 *   addresses that failed on it. An address with no failure on this account in the window may
 *   still try (the real user, elsewhere, with the right password); its first failure locks it
 *   out too. So during a lockout each guess needs a fresh address, and the attacker cannot keep
 *   the real user out with the right password.
 *
 * Checked before the password is (a locked attempt costs no argon2 work and counts nothing).
 */

export const LOGIN_LIMITS = {
  failuresPerIp: { max: 30, windowMs: 60_000 },
  failuresPerAccount: { max: 10, windowMs: 15 * 60_000 },
} as const;

const ipKey = (ip: string) => `login-fail-ip:${ip}`;
const accountKey = (email: string) => `login-fail-account:${email}`;
const ipAccountKey = (ip: string, email: string) => `login-fail-ip-account:${ip}:${email}`;

/** Throws a 429 when this address or this account (for this address) is over its limit. */
export async function checkLoginLimits(db: Db, ip: string, email: string, now?: Date): Promise<void> {
  const byIp = await peekHits(db, ipKey(ip), now);
  if (byIp.current >= LOGIN_LIMITS.failuresPerIp.max) {
    throw new TooManyRequestsError(
      `too many failed sign-ins from this address; try again in ${seconds(byIp.ttl)} seconds`,
      byIp.ttl / 1000,
    );
  }
  const byAccount = await peekHits(db, accountKey(email), now);
  if (byAccount.current < LOGIN_LIMITS.failuresPerAccount.max) return;
  const fromHere = await peekHits(db, ipAccountKey(ip, email), now);
  if (fromHere.current === 0) return;
  throw new TooManyRequestsError(
    `this account is locked after ${LOGIN_LIMITS.failuresPerAccount.max} failed sign-ins; try again in ${minutes(byAccount.ttl)}`,
    byAccount.ttl / 1000,
  );
}

/** Counts one failed sign-in against the address, the account, and the account from this address. */
export async function recordLoginFailure(db: Db, ip: string, email: string, now?: Date): Promise<void> {
  const { failuresPerIp: perIp, failuresPerAccount: perAccount } = LOGIN_LIMITS;
  await countHit(db, ipKey(ip), perIp.windowMs, now);
  await countHit(db, accountKey(email), perAccount.windowMs, now);
  await countHit(db, ipAccountKey(ip, email), perAccount.windowMs, now);
}

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));
const minutes = (ms: number) => {
  const n = Math.max(1, Math.ceil(ms / 60_000));
  return n === 1 ? '1 minute' : `${n} minutes`;
};
