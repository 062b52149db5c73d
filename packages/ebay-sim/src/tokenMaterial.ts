import { createHash, randomBytes } from 'node:crypto';

/**
 * Values shaped like eBay's. Real eBay tokens are `v^1.1#…#t^` followed by base64 of a
 * gzip blob, so they contain `+`, `/` and `=`: exactly the characters that break when a
 * client forgets to form-encode, or decodes a callback `code` twice (`+` → space).
 * Every value generated here carries all three on purpose.
 */

const ACCESS_PREFIX = 'v^1.1#i^1#p^3#r^1#I^3#f^0#t^';
const REFRESH_PREFIX = 'v^1.1#i^1#p^3#r^1#I^3#f^0#t^Ul4x';
const CODE_PREFIX = 'v^1.1#i^1#f^0#I^3#r^1#p^3#t^';
/** Base64 of a gzip header, which is how real eBay access tokens start after `t^`. */
const GZIP_BASE64 = 'H4sIAAAAAAAA';

/** Base64 text of about `chars` characters that is guaranteed to contain `+`, `/` and `=`. */
function base64WithSpecials(chars: number): string {
  // A byte count of 3n+2 always ends base64 with a single `=`.
  const bytes = Math.floor((chars * 3) / 4 / 3) * 3 + 2;
  const text = randomBytes(bytes).toString('base64');
  const third = Math.floor(text.length / 3);
  return `${text.slice(0, third)}+${text.slice(third + 1, 2 * third)}/${text.slice(2 * third + 1)}`;
}

/** ~2 KB, like a real eBay user access token. */
export function newAccessToken(): string {
  return `${ACCESS_PREFIX}${GZIP_BASE64}/+${base64WithSpecials(1960)}`;
}

export function newRefreshToken(): string {
  return `${REFRESH_PREFIX}${base64WithSpecials(160)}`;
}

export function newAuthorizationCode(): string {
  return `${CODE_PREFIX}${base64WithSpecials(120)}`;
}

export function hex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** eBay user ids are opaque and immutable; the sim uses random base36. */
export function newUserId(): string {
  return BigInt(`0x${hex(10)}`).toString(36);
}

export function newClientId(): string {
  return `SimApp-ebayconn-PRD-${hex(9)}`;
}

export function newClientSecret(): string {
  return `PRD-${hex(12)}-${hex(4)}-${hex(4)}`;
}

export function newRuName(): string {
  return `Sim_App-SimApp-ebayco-${hex(3)}`;
}

/** Correlation ids shaped like the ones eBay support asks for. */
export function newCorrelationHeaders(): Record<string, string> {
  return {
    rlogid: `t6n%60jhfuf%3D9vo%7Fpie%3D${hex(8)}-${Date.now().toString(16)}`,
    'x-ebay-c-request-id': `Biz!~${hex(16)}`,
  };
}
