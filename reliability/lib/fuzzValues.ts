import type { Rng } from './rng.ts';

/**
 * Hostile values for the bad-input fuzz: wrong types, sizes, encodings, unicode and huge
 * numbers, as text for URLs (already percent-encoded, possibly wrongly on purpose) and as
 * JSON bodies (possibly not JSON at all).
 */

/** Text the API might choke on once decoded. */
const HOSTILE_TEXT = [
  '',
  ' ',
  '0',
  '-1',
  '-0',
  '1.5',
  '1e309',
  '-1e309',
  '99999999999999999999999999',
  '9007199254740993',
  '0x1F',
  'NaN',
  'Infinity',
  'null',
  'undefined',
  'true',
  '[]',
  '{}',
  '{"$gt":""}',
  "' or 1=1 --",
  '"; drop table ebay_accounts; --',
  '../../../../etc/passwd',
  '%s%s%n',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a log4shell-shaped value, on purpose
  '${jndi:ldap://x}',
  '<script>alert(1)</script>',
  '\u0000',
  '\r\nX-Injected: 1',
  'ü',
  '日本語のテキスト',
  '🙂🙃👩‍👩‍👧‍👦',
  '\u202egnp.exe',
  '\u200b\u200c\ufeff',
  'e\u0301\u0301\u0301',
  'ＡＢＣ１２３',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  'production',
  'PRODUCTION',
  'sandbox,production',
  'scheduled,debug,manual,connect,on_demand',
  'token',
  '__proto__',
  'constructor',
];

/** Already-encoded query/path text, some of it invalid on purpose. */
const RAW_ENCODED = [
  '%',
  '%zz',
  '%0',
  '%00',
  '%FF',
  '%C0%AF',
  '%ED%A0%80',
  '%E0%A4%A',
  '%F0%9F%98',
  '%25%32%35',
  '+',
  '%2B%2B',
  '%2F',
  '..%2F..%2F',
];

/** Percent-encodes the UTF-8 of `text` except unreserved characters. */
export function encode(text: string): string {
  return [...Buffer.from(text, 'utf8')]
    .map((b) =>
      /[A-Za-z0-9\-._~]/.test(String.fromCharCode(b))
        ? String.fromCharCode(b)
        : `%${b.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');
}

export function longText(rng: Rng): string {
  const length = rng.pick([101, 201, 255, 300, 1_001, 5_000, 9_000]);
  const unit = rng.pick(['a', 'é', '🙂', '%', '0', 'ab-']);
  return unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
}

/** A hostile URL value, percent-encoded (or deliberately mis-encoded). */
export function hostileUrlValue(rng: Rng): string {
  const roll = rng.next();
  if (roll < 0.15) return rng.pick(RAW_ENCODED);
  if (roll < 0.25) return encode(longText(rng));
  if (roll < 0.3) return String(rng.int(-1e6, 1e12) * (rng.chance(0.5) ? 1 : 1e6));
  return encode(rng.pick(HOSTILE_TEXT));
}

export function hostileText(rng: Rng): string {
  return rng.chance(0.15) ? longText(rng) : rng.pick(HOSTILE_TEXT);
}

/** A random JSON value of any type. */
export function randomJson(rng: Rng, depth = 0): unknown {
  const roll = rng.next();
  if (roll < 0.3) return hostileText(rng);
  if (roll < 0.45) return rng.pick([0, -1, 1.5, 2 ** 53 + 2, -(2 ** 63), 1e308, Number.MIN_VALUE]);
  if (roll < 0.55) return rng.pick([true, false, null]);
  if (roll < 0.75 && depth < 3)
    return Array.from({ length: rng.int(0, 4) }, () => randomJson(rng, depth + 1));
  if (depth < 3) {
    const out: Record<string, unknown> = {};
    for (let i = rng.int(0, 3); i > 0; i--) out[hostileText(rng).slice(0, 40)] = randomJson(rng, depth + 1);
    return out;
  }
  return 'deep';
}

/** Bodies that are not (valid) JSON, or JSON no parser should be asked to build. */
export function brokenJsonBody(rng: Rng, fields: string[]): string | Buffer {
  const key = fields.length > 0 ? rng.pick(fields) : 'x';
  const options: (() => string | Buffer)[] = [
    () => '',
    () => '{',
    () => `{"${key}":`,
    () => `{"${key}": "x",}`,
    () => `{'${key}': 'x'}`,
    () => `{"${key}": NaN}`,
    () => `{"${key}": 1e400}`,
    () => `{"${key}": -1e400}`,
    () => `{"${key}": 123456789012345678901234567890}`,
    () => `{"${key}": "a", "${key}": 7}`,
    () => `{"__proto__": {"role": "admin"}, "${key}": "x"}`,
    () => `{"constructor": {"prototype": {"x": 1}}, "${key}": "x"}`,
    () => `// comment\n{"${key}": 1}`,
    () => `\ufeff{"${key}": "x"}`,
    () => `{"${key}": "\\ud800"}`,
    () => `{"${key}": "\\u0000"}`,
    () => '['.repeat(5_000) + ']'.repeat(5_000),
    () => `${'{"a":'.repeat(3_000)}1${'}'.repeat(3_000)}`,
    () => Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x7d]),
    () => Buffer.from([0xff, 0xfe, 0x7b, 0x00, 0x7d, 0x00]),
    () => JSON.stringify({ [key]: 'x'.repeat(70_000) }),
    () => JSON.stringify(Array.from({ length: 20_000 }, () => 1)),
    () => 'null',
    () => '"text"',
    () => '42',
    () => 'true',
    () => '[]',
  ];
  return rng.pick(options)();
}

export const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=latin1',
  'application/json; charset=utf-16',
  'APPLICATION/JSON',
  'application/json;;;',
  'application/json, text/plain',
  'application/json-patch+json',
  'application/vnd.api+json',
  'text/plain',
  'text/json',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=xyz',
  'application/xml',
  '*/*',
  '',
  'ü/ü',
];
