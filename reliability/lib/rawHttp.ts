import net from 'node:net';

/**
 * Requests no well-behaved HTTP client would send (bytes node:http refuses to write):
 * raw UTF-8 and control characters in the request line, smuggling-shaped framing, oversized
 * headers, bodies shorter than their Content-Length. Each one reports the status line it got,
 * or null when the server closed the connection without answering (which is fine).
 */

export interface RawCase {
  name: string;
  /** The status this case must get, when one is certain. */
  expectStatus?: number;
  bytes: (host: string, cookie: string) => Buffer;
}

const crlf = (lines: string[]) => `${lines.join('\r\n')}\r\n\r\n`;
const A = '/api/admin/ebay';

export const RAW_CASES: RawCase[] = [
  {
    name: 'raw UTF-8 in the path',
    bytes: (h, c) =>
      Buffer.from(
        crlf([`GET ${A}/accounts/日本語/refresh-log HTTP/1.1`, `Host: ${h}`, `Cookie: ${c}`]),
        'utf8',
      ),
  },
  {
    name: 'invalid UTF-8 in the query',
    bytes: (h, c) =>
      Buffer.concat([
        Buffer.from(`GET ${A}/tokens/status?search=`),
        Buffer.from([0xff, 0xfe, 0xc3, 0x28]),
        Buffer.from(crlf([' HTTP/1.1', `Host: ${h}`, `Cookie: ${c}`]).slice(0)),
      ]),
  },
  {
    name: 'space in the path',
    bytes: (h, c) =>
      Buffer.from(crlf([`GET ${A}/tokens/status?search=a b HTTP/1.1`, `Host: ${h}`, `Cookie: ${c}`])),
  },
  {
    name: 'NUL in the path',
    bytes: (h, c) =>
      Buffer.from(crlf([`GET ${A}/tokens/status?search=a\u0000b HTTP/1.1`, `Host: ${h}`, `Cookie: ${c}`])),
  },
  {
    name: 'absolute-form target',
    bytes: (h, c) =>
      Buffer.from(crlf([`GET http://evil.test${A}/tokens/status HTTP/1.1`, `Host: ${h}`, `Cookie: ${c}`])),
  },
  { name: 'unknown method', bytes: (h) => Buffer.from(crlf(['BREW /healthz HTTP/1.1', `Host: ${h}`])) },
  { name: 'HTTP/1.0 without Host', bytes: () => Buffer.from(crlf(['GET /api/auth/me HTTP/1.0'])) },
  { name: 'HTTP/9.9', bytes: (h) => Buffer.from(crlf(['GET /healthz HTTP/9.9', `Host: ${h}`])) },
  {
    name: 'oversized header',
    bytes: (h) =>
      Buffer.from(crlf(['GET /api/auth/me HTTP/1.1', `Host: ${h}`, `X-Big: ${'a'.repeat(40_000)}`])),
  },
  {
    name: 'ten thousand headers',
    bytes: (h) =>
      Buffer.from(
        crlf([
          'GET /api/auth/me HTTP/1.1',
          `Host: ${h}`,
          ...Array.from({ length: 10_000 }, (_, i) => `X-${i}: y`),
        ]),
      ),
  },
  {
    name: 'Content-Length and Transfer-Encoding',
    bytes: (h, c) =>
      Buffer.from(
        `${crlf([`POST ${A}/token/refresh-debug HTTP/1.1`, `Host: ${h}`, `Cookie: ${c}`, `Origin: http://${h}`, 'Content-Type: application/json', 'Content-Length: 4', 'Transfer-Encoding: chunked'])}0\r\n\r\n`,
      ),
  },
  {
    name: 'bad chunk size',
    bytes: (h, c) =>
      Buffer.from(
        `${crlf([`POST ${A}/token/refresh-debug HTTP/1.1`, `Host: ${h}`, `Cookie: ${c}`, `Origin: http://${h}`, 'Content-Type: application/json', 'Transfer-Encoding: chunked'])}zz\r\n{}\r\n0\r\n\r\n`,
      ),
  },
  {
    name: 'two Content-Lengths',
    bytes: (h, c) =>
      Buffer.from(
        `${crlf([`POST ${A}/token/refresh-debug HTTP/1.1`, `Host: ${h}`, `Cookie: ${c}`, `Origin: http://${h}`, 'Content-Type: application/json', 'Content-Length: 2', 'Content-Length: 30'])}{}`,
      ),
  },
  {
    name: 'negative Content-Length',
    bytes: (h, c) =>
      Buffer.from(
        `${crlf([`POST ${A}/connect/start HTTP/1.1`, `Host: ${h}`, `Cookie: ${c}`, `Origin: http://${h}`, 'Content-Type: application/json', 'Content-Length: -5'])}{}`,
      ),
  },
  {
    name: 'body shorter than Content-Length',
    bytes: (h, c) =>
      Buffer.from(
        `${crlf([`POST ${A}/connect/start HTTP/1.1`, `Host: ${h}`, `Cookie: ${c}`, `Origin: http://${h}`, 'Content-Type: application/json', 'Content-Length: 500'])}{"environment":`,
      ),
  },
  {
    name: 'header without a colon',
    bytes: (h) => Buffer.from(crlf(['GET /healthz HTTP/1.1', `Host: ${h}`, 'NoColonHere'])),
  },
  {
    name: 'obs-fold header',
    bytes: (h, c) =>
      Buffer.from(
        crlf([`GET ${A}/tokens/status HTTP/1.1`, `Host: ${h}`, `Cookie: ${c}`, 'X-A: one', ' two']),
      ),
  },
  { name: 'CR without LF', bytes: (h) => Buffer.from(`GET /healthz HTTP/1.1\rHost: ${h}\r\r`) },
  {
    name: 'raw UTF-8 cookie',
    bytes: (h) =>
      Buffer.from(crlf([`GET ${A}/tokens/status HTTP/1.1`, `Host: ${h}`, 'Cookie: ebc_session=ü日本🙂'])),
  },
  {
    name: 'a NUL character in a query value',
    expectStatus: 400,
    bytes: (h, c) =>
      Buffer.from(crlf([`GET ${A}/tokens/status?search=a%00b HTTP/1.1`, `Host: ${h}`, `Cookie: ${c}`])),
  },
  {
    name: 'a NUL character in a JSON string',
    expectStatus: 400,
    bytes: (h, c) => {
      const body = '{"environment":"production","house_name":"a\\u0000b"}';
      return Buffer.from(
        `${crlf([`POST ${A}/connect/start HTTP/1.1`, `Host: ${h}`, `Cookie: ${c}`, `Origin: http://${h}`, 'Content-Type: application/json', `Content-Length: ${body.length}`])}${body}`,
      );
    },
  },
  {
    name: 'a lone surrogate escape in a JSON string stored as jsonb',
    expectStatus: 400,
    bytes: (h, c) => {
      const body = '{"environment":"sandbox","house_name":"shop \\ud83d"}';
      return Buffer.from(
        `${crlf([`POST ${A}/connect/start HTTP/1.1`, `Host: ${h}`, `Cookie: ${c}`, `Origin: http://${h}`, 'Content-Type: application/json', `Content-Length: ${body.length}`])}${body}`,
      );
    },
  },
  {
    name: 'gzip Content-Encoding with a plain body',
    bytes: (h, c) =>
      Buffer.from(
        `${crlf([`POST ${A}/connect/start HTTP/1.1`, `Host: ${h}`, `Cookie: ${c}`, `Origin: http://${h}`, 'Content-Type: application/json', 'Content-Encoding: gzip', 'Content-Length: 2'])}{}`,
      ),
  },
];

/** Sends the bytes; resolves with the status code answered (null: closed without an answer). */
export function sendRaw(
  port: number,
  bytes: Buffer,
  timeoutMs = 5_000,
): Promise<{ status: number | null; text: string }> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      const text = Buffer.concat(chunks).toString('latin1');
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1];
      resolve({ status: status ? Number(status) : null, text });
    };
    const timer = setTimeout(done, timeoutMs);
    socket.on('connect', () => socket.write(bytes));
    socket.on('data', (c) => {
      chunks.push(c);
      if (Buffer.concat(chunks).includes('\r\n\r\n')) setTimeout(done, 50);
    });
    socket.on('error', done);
    socket.on('close', done);
  });
}
