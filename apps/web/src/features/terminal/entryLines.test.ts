import { hasControlCharacters } from '@ebay-connector/contracts';
import { describe, expect, it } from 'vitest';
import { formatDateClock, formatDateTime } from '../../lib/time.ts';
import {
  buildCycleEntry,
  buildDecryptFailedEntry,
  buildLogEntry,
  MASKED_ACCESS,
  MASKED_REFRESH,
} from '../../test/fixtures.ts';
import { entriesToLines, entryHeaderText, entryLines, entryTone, isErrorEntry } from './entryLines.ts';
import { REQUEST_HEADING, RESPONSE_HEADING } from './httpTranscript.ts';
import { linesToText } from './terminalLine.ts';

const texts = (entry: Parameters<typeof entryLines>[0]) => entryLines(entry).map((line) => line.text);

describe('entry header line', () => {
  it('reads time, source, action, account, status and duration in that order', () => {
    const entry = buildLogEntry({ source: 'scheduled', duration_ms: 312 });
    expect(entryHeaderText(entry)).toBe(
      `${formatDateTime(entry.created_at)}  source=scheduled  token_refreshed  account="Main Store" (sandbox)  HTTP 200 ok  312 ms`,
    );
  });

  it('names the API key whose request caused an on-demand refresh', () => {
    const entry = buildLogEntry({
      source: 'on_demand',
      duration_ms: 40,
      summary: { api_key_id: 'k-1', api_key_name: 'order sync' },
    });
    expect(entryHeaderText(entry)).toContain(
      'source=on_demand  token_refreshed  account="Main Store" (sandbox)  key="order sync"  HTTP 200 ok  40 ms',
    );
  });

  it('says when no HTTP was made and names the error code', () => {
    const header = entryHeaderText(buildDecryptFailedEntry());
    expect(header).toContain(
      'source=debug  token_refresh_failed  account="Broken Store" (sandbox)  no HTTP error=decrypt_failed  3 ms',
    );
  });

  it('shows an HTTP error status with its code', () => {
    const entry = buildLogEntry({
      action: 'token_refresh_failed',
      source: 'manual',
      response: { status_code: 400, reason: 'Bad Request', headers: {}, body: '{"error":"invalid_grant"}' },
      error: { code: 'invalid_grant', message: 'the refresh token was revoked' },
    });
    expect(entryHeaderText(entry)).toContain('source=manual  token_refresh_failed');
    expect(entryHeaderText(entry)).toContain('HTTP 400 error=invalid_grant');
  });
});

describe('entry transcript', () => {
  it('prints the request block then the response block', () => {
    const lines = texts(buildLogEntry());
    const request = lines.indexOf(REQUEST_HEADING);
    const response = lines.indexOf(RESPONSE_HEADING);
    expect(request).toBe(1);
    expect(response).toBeGreaterThan(request);
    expect(lines[request + 1]).toBe('POST https://api.sandbox.ebay.com/identity/v1/oauth2/token');
    expect(lines).toContain('Content-Type: application/x-www-form-urlencoded');
    expect(lines[response + 1]).toBe('HTTP 200 OK');
    expect(lines).toContain('rlogid: t6abc123');
  });

  it('shows masked tokens exactly as given, never more', () => {
    const joined = texts(buildLogEntry()).join('\n');
    expect(joined).toContain(`refresh_token=${MASKED_REFRESH}`);
    expect(joined).toContain(`"access_token": "${MASKED_ACCESS}"`);
    expect(joined).toContain('Authorization: Basic SBX-client-id:****');
  });

  it('pretty-prints JSON response bodies', () => {
    const lines = texts(buildLogEntry());
    expect(lines).toContain('  "expires_in": 7200,');
  });

  it('gives the reason and the decrypt diagnosis when no HTTP was made', () => {
    const lines = texts(buildDecryptFailedEntry());
    expect(lines).not.toContain(REQUEST_HEADING);
    expect(lines).toContain('no HTTP request was made');
    // What a person must do, in the words of the worker's log and the account page.
    expect(lines).toContain(
      'error: decrypt_failed — refresh token could not be decrypted; see the token doctor',
    );
    expect(lines.some((line) => line.startsWith('diagnosis: auth_failed — '))).toBe(true);
  });

  it('ends every entry with a blank separator line and keys lines by entry id', () => {
    const entry = buildLogEntry({ id: 42 });
    const lines = entryLines(entry);
    expect(lines.at(-1)?.text).toBe('');
    expect(lines.map((line) => line.key).slice(0, 2)).toEqual(['42:0', '42:1']);
  });
});

describe('cycle markers', () => {
  it('reads "cycle <date> HH:MM — N due" when there was nothing to do', () => {
    const [marker] = texts(buildCycleEntry({ due: 0, checked: 5 }));
    // With the date: a log reaches back over days, and "12:00" alone does not say which.
    const at = formatDateClock('2025-12-01T12:00:00.000Z');
    expect(at).toMatch(/2025/);
    expect(marker).toBe(`──── cycle ${at} — 0 due · 5 checked · 400 ms ────`);
  });

  it('lists refreshed and failed counts with the failure codes', () => {
    const entry = buildCycleEntry({ due: 3, refreshed: 2, failed: 1, failed_by_code: { invalid_grant: 1 } });
    const [marker] = texts(entry);
    expect(marker).toContain('— 3 due: 2 refreshed, 1 failed (invalid_grant ×1)');
    expect(entryTone(entry)).toBe('warning');
  });

  it('is one line plus the separator', () => {
    expect(entryLines(buildCycleEntry())).toHaveLength(2);
  });
});

describe('tones', () => {
  it('colours by source, and errors red whatever the source', () => {
    expect(entryTone(buildLogEntry({ source: 'scheduled' }))).toBe('scheduled');
    expect(entryTone(buildLogEntry({ source: 'debug' }))).toBe('debug');
    expect(entryTone(buildLogEntry({ source: 'manual' }))).toBe('manual');
    expect(entryTone(buildDecryptFailedEntry({ source: 'scheduled' }))).toBe('error');
    expect(isErrorEntry(buildCycleEntry({ failed: 0 }))).toBe(false);
  });

  it('colours the header and the block headings, the transcript stays plain', () => {
    const lines = entryLines(buildLogEntry({ source: 'debug' }));
    expect(lines[0]?.tone).toBe('debug');
    expect(lines.find((line) => line.text === REQUEST_HEADING)?.tone).toBe('debug');
    expect(lines.find((line) => line.text.startsWith('POST '))?.tone).toBe('plain');
  });

  it('formats each entry once', () => {
    const entry = buildLogEntry();
    expect(entriesToLines([entry])[0]).toBe(entryLines(entry)[0]);
  });
});

describe('cycle markers with only this org’s part of the summary', () => {
  it('still reads "cycle <date> HH:MM — N due" with the duration', () => {
    const entry = buildLogEntry({
      action: 'token_refresh_cycle',
      request: null,
      response: null,
      ebay_account_id: null,
      house_name: null,
      summary: {
        cycle_id: 'c2',
        started_at: '2025-12-01T12:00:00.000Z',
        finished_at: '2025-12-01T12:00:00.022Z',
        duration_ms: 22,
        circuit_open: false,
        circuit_reason: null,
        aborted: false,
        due: 0,
        refreshed: 0,
        failed: 0,
        failed_by_code: {},
      },
    });
    expect(entryLines(entry)[0]?.text).toBe(
      `──── cycle ${formatDateClock('2025-12-01T12:00:00.000Z')} — 0 due · 22 ms ────`,
    );
  });
});

describe('cycle markers carry the refresh plan', () => {
  it('reads "… — 31 due … · plan 3,812 warm / 16,188 on demand · 24,410 / 50,000 calls"', () => {
    const entry = buildLogEntry({
      action: 'token_refresh_cycle',
      request: null,
      response: null,
      ebay_account_id: null,
      house_name: null,
      summary: {
        cycle_id: 'c3',
        started_at: '2025-12-01T12:00:00.000Z',
        finished_at: '2025-12-01T12:00:01.200Z',
        duration_ms: 1200,
        circuit_open: false,
        due: 31,
        refreshed: 31,
        failed: 0,
        failed_by_code: {},
        plan: {
          default_policy: 'auto',
          warm: 3812,
          on_demand: 16188,
          limit: 50_000,
          budget: 40_000,
          reserve_percent: 20,
          calls_per_warm_account: 13.4,
          used_24h: { refresh_token: 24_410, authorization_code: 0, client_credentials: 0 },
          projected_24h: 41_000,
          warning: true,
          budget_reached: false,
          paused_until: null,
        },
      },
    });
    expect(entryLines(entry)[0]?.text).toBe(
      `──── cycle ${formatDateClock('2025-12-01T12:00:00.000Z')} — 31 due: 31 refreshed, 0 failed · plan 3,812 warm / 16,188 on demand · 24,410 / 50,000 calls · 1200 ms ────`,
    );
  });
});

describe('stored strings with control characters', () => {
  it('keeps a forged house name on its own line, escaped, in the lines Copy all and Download use', () => {
    const forged =
      'Evil\x1b[2J\x1b]0;pwned\x07\r\n2026-01-01 00:00:00  source=scheduled  token_refreshed\u202e';
    const entry = buildLogEntry({ house_name: forged });
    const text = linesToText(entryLines(entry));
    expect(text.split('\n').filter(hasControlCharacters)).toEqual([]);
    expect(text.split('\n').filter((l) => l.includes('token_refreshed'))).toHaveLength(1);
    expect(texts(entry)[0]).toContain('account="Evil\\x1b[2J\\x1b]0;pwned\\x07\\r\\n2026-01-01');
  });
});
