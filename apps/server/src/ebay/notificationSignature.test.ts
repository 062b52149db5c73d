import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import {
  challengeResponse,
  parseSignatureHeader,
  publicKeyFromPem,
  verifyNotification,
} from './notificationSignature.ts';

/**
 * eBay's own published test vector (eBay/event-notification-nodejs-sdk, test/test.json): a
 * MARKETPLACE_ACCOUNT_DELETION message as eBay serialises it, its X-EBAY-SIGNATURE header and the
 * public key the Notification API answers for its kid (one line, no line breaks).
 */
const EBAY_SAMPLE = {
  header:
    'eyJhbGciOiJlY2RzYSIsImtpZCI6Ijk5MzYyNjFhLTdkN2ItNDYyMS1hMGYxLTk2Y2NiNDI4YWY0OSIsInNpZ25hdHVyZSI6Ik1FWUNJUUNmeGZJV3V4bVdjSUJRSjljNS9YN2lHREpxczJSQ0dzQkVhQWppbnlycmZBSWhBSVY2d0djVGlCdVY1S0pVaWYyaG9reXJMK1E5c3NIa2FkK214Mm5FRTI1dyIsImRpZ2VzdCI6IlNIQTEifQ==',
  body: '{"metadata":{"topic":"MARKETPLACE_ACCOUNT_DELETION","schemaVersion":"1.0","deprecated":false},"notification":{"notificationId":"49feeaeb-4982-42d9-a377-9645b8479411_33f7e043-fed8-442b-9d44-791923bd9a6d","eventDate":"2021-03-19T20:43:59.462Z","publishDate":"2021-03-19T20:43:59.679Z","publishAttemptCount":1,"data":{"username":"test_user","userId":"ma8vp1jySJC","eiasToken":"nY+sHZ2PrBmdj6wVnY+sEZ2PrA2dj6wJnY+gAZGEpwmdj6x9nY+seQ=="}}}',
  key: '-----BEGIN PUBLIC KEY-----MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEZhhxXKtR+TOvtDbgTPCkSof02qgBB7IsYOyf76ilExJ/upAa/vKIKheOoCyOpcLmi4t0b4uepb7LLjmMr90FUg==-----END PUBLIC KEY-----',
};

describe("eBay's published sample notification", () => {
  const parsed = parseSignatureHeader(EBAY_SAMPLE.header);
  if (!parsed.ok) throw new Error(parsed.message);
  const key = publicKeyFromPem(EBAY_SAMPLE.key);

  it('parses the header', () => {
    expect(parsed.header).toMatchObject({
      alg: 'ecdsa',
      kid: '9936261a-7d7b-4621-a0f1-96ccb428af49',
      digest: 'SHA1',
    });
  });

  it('verifies the genuine message', () => {
    expect(verifyNotification(Buffer.from(EBAY_SAMPLE.body), parsed.header.signature, key)).toBe(true);
  });

  it('rejects a tampered one (publishAttemptCount changed, or re-serialised with spaces)', () => {
    const tampered = EBAY_SAMPLE.body.replace('"publishAttemptCount":1', '"publishAttemptCount":2');
    expect(verifyNotification(Buffer.from(tampered), parsed.header.signature, key)).toBe(false);
    const spaced = JSON.stringify(JSON.parse(EBAY_SAMPLE.body), null, 1);
    expect(verifyNotification(Buffer.from(spaced), parsed.header.signature, key)).toBe(false);
  });
});

describe('public key PEM', () => {
  it('accepts a PEM with or without line breaks', () => {
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const body = Buffer.from('{"a":1}');
    const signature = sign('sha1', body, privateKey).toString('base64');
    expect(verifyNotification(body, signature, publicKeyFromPem(pem))).toBe(true);
    expect(verifyNotification(body, signature, publicKeyFromPem(pem.replace(/\n/g, '')))).toBe(true);
    expect(() => publicKeyFromPem('nonsense')).toThrow(RangeError);
  });
});

describe('signature header', () => {
  it.each([
    [undefined, 'missing'],
    ['%%%', 'not base64'],
    [Buffer.from('not json').toString('base64'), 'JSON'],
    [Buffer.from('{"alg":"rsa","kid":"k","signature":"AA==","digest":"SHA1"}').toString('base64'), 'alg'],
    [
      Buffer.from('{"alg":"ecdsa","kid":"../x","signature":"AA==","digest":"SHA1"}').toString('base64'),
      'kid',
    ],
  ])('refuses %s', (value, message) => {
    const result = parseSignatureHeader(value);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.message).toContain(message);
  });
});

describe('challenge response', () => {
  it('is hex sha256 of code + token + endpoint, in that order', () => {
    // sha256("abc" + "token_1234567890123456789012345678901" + "https://x.example/n") computed independently.
    const expected = createHash('sha256')
      .update('abctoken_1234567890123456789012345678901https://x.example/n')
      .digest('hex');
    expect(challengeResponse('abc', 'token_1234567890123456789012345678901', 'https://x.example/n')).toBe(
      expected,
    );
    expect(challengeResponse('abc', 'token_1234567890123456789012345678901', 'https://x.example/m')).not.toBe(
      expected,
    );
  });
});
