import { createHash, createPublicKey, createVerify, type KeyObject } from 'node:crypto';

/**
 * eBay's notification signatures (Marketplace Account Deletion and every other topic): the
 * endpoint's challenge answer, the `X-EBAY-SIGNATURE` header, and ECDSA/SHA1 verification of the
 * raw body with the Notification API's public key. Pure functions; fetching the key is the
 * caller's.
 */

/** hex(sha256(challengeCode + verificationToken + endpointUrl)), in that order. */
export function challengeResponse(
  challengeCode: string,
  verificationToken: string,
  endpointUrl: string,
): string {
  return createHash('sha256')
    .update(challengeCode)
    .update(verificationToken)
    .update(endpointUrl)
    .digest('hex');
}

export type SignatureHeader = { alg: 'ecdsa'; kid: string; signature: string; digest: 'SHA1' };

export type ParsedHeader = { ok: true; header: SignatureHeader } | { ok: false; message: string };

const KID = /^[A-Za-z0-9_-]{1,128}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** The header is base64 of `{"alg":"ecdsa","kid":…,"signature":…,"digest":"SHA1"}`. */
export function parseSignatureHeader(value: string | undefined): ParsedHeader {
  if (!value) return { ok: false, message: 'X-EBAY-SIGNATURE header is missing' };
  if (value.length > 4096 || !BASE64.test(value.trim())) {
    return { ok: false, message: 'X-EBAY-SIGNATURE is not base64' };
  }
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(value.trim(), 'base64').toString('utf8'));
  } catch {
    return { ok: false, message: 'X-EBAY-SIGNATURE is not base64 of a JSON object' };
  }
  const o = json as Record<string, unknown> | null;
  if (!o || typeof o !== 'object') return { ok: false, message: 'X-EBAY-SIGNATURE is not a JSON object' };
  if (typeof o.alg !== 'string' || o.alg.toLowerCase() !== 'ecdsa') {
    return { ok: false, message: 'X-EBAY-SIGNATURE: alg must be ecdsa' };
  }
  if (typeof o.digest !== 'string' || o.digest.toUpperCase() !== 'SHA1') {
    return { ok: false, message: 'X-EBAY-SIGNATURE: digest must be SHA1' };
  }
  if (typeof o.kid !== 'string' || !KID.test(o.kid)) {
    return { ok: false, message: 'X-EBAY-SIGNATURE: kid must be a key id' };
  }
  if (typeof o.signature !== 'string' || o.signature.length > 1024 || !BASE64.test(o.signature)) {
    return { ok: false, message: 'X-EBAY-SIGNATURE: signature must be base64' };
  }
  return { ok: true, header: { alg: 'ecdsa', kid: o.kid, signature: o.signature, digest: 'SHA1' } };
}

const BEGIN = '-----BEGIN PUBLIC KEY-----';
const END = '-----END PUBLIC KEY-----';

/** eBay answers the PEM on one line (`-----BEGIN PUBLIC KEY-----MFkw…-----END PUBLIC KEY-----`): re-wrap it. */
export function publicKeyFromPem(pem: string): KeyObject {
  const start = pem.indexOf(BEGIN);
  const end = pem.indexOf(END);
  if (start < 0 || end < start) throw new RangeError('not a PEM public key');
  const body = pem.slice(start + BEGIN.length, end).replace(/\s+/g, '');
  const lines = body.match(/.{1,64}/g) ?? [];
  return createPublicKey(`${BEGIN}\n${lines.join('\n')}\n${END}\n`);
}

/** ECDSA with SHA1 over the exact bytes received; the signature is DER, base64. */
export function verifyNotification(rawBody: Buffer, signatureBase64: string, key: KeyObject): boolean {
  try {
    const verifier = createVerify('sha1');
    verifier.update(rawBody);
    return verifier.verify({ key, dsaEncoding: 'der' }, Buffer.from(signatureBase64, 'base64'));
  } catch {
    return false;
  }
}
