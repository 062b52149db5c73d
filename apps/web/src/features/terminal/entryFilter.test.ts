import { describe, expect, it } from 'vitest';
import type { TerminalFilter } from '../../api/terminal.ts';
import {
  BROKEN_ACCOUNT_ID,
  buildCycleEntry,
  buildDecryptFailedEntry,
  buildLogEntry,
} from '../../test/fixtures.ts';
import { matchesFilter, mergeEntries } from './entryFilter.ts';
import { sinceWindowOf } from './timeRanges.ts';

const all: TerminalFilter = {
  kind: 'token',
  env: undefined,
  sources: [],
  accountId: null,
  errorsOnly: false,
  search: '',
  errorCodes: [],
  cycle: null,
  since: null,
  actions: [],
};

describe('terminal filters', () => {
  const scheduled = buildLogEntry({ source: 'scheduled' });
  const debug = buildLogEntry({ source: 'debug' });
  const failed = buildDecryptFailedEntry();

  it('keeps only the chosen sources', () => {
    const filter = { ...all, sources: ['debug' as const] };
    expect(matchesFilter(debug, filter)).toBe(true);
    expect(matchesFilter(scheduled, filter)).toBe(false);
  });

  it('keeps only the chosen account (cycle markers belong to no account)', () => {
    const filter = { ...all, accountId: BROKEN_ACCOUNT_ID };
    expect(matchesFilter(failed, filter)).toBe(true);
    expect(matchesFilter(scheduled, filter)).toBe(false);
    expect(matchesFilter(buildCycleEntry(), filter)).toBe(false);
  });

  it('keeps only errors with "errors only"', () => {
    const filter = { ...all, errorsOnly: true };
    expect(matchesFilter(failed, filter)).toBe(true);
    expect(matchesFilter(scheduled, filter)).toBe(false);
    expect(matchesFilter(buildCycleEntry({ failed: 2, due: 2 }), filter)).toBe(true);
  });

  it('keeps entries from the time range on; a chosen cycle is the window instead', () => {
    const now = Date.parse('2026-12-03T12:00:00Z');
    const since = sinceWindowOf('1h', now);
    expect(since).toEqual({ range: '1h', from: '2026-12-03T11:00:00.000Z' });
    expect(sinceWindowOf('all', now)).toBeNull();
    const filter = { ...all, since };
    expect(matchesFilter(buildLogEntry({ created_at: '2026-12-03T11:00:00.000Z' }), filter)).toBe(true);
    expect(matchesFilter(buildLogEntry({ created_at: '2026-12-03T10:59:59.999Z' }), filter)).toBe(false);
    const cycle = { from: '2026-12-03T10:59:59.000Z', to: '2026-12-03T11:00:01.000Z', startedAt: '' };
    const inCycle = buildLogEntry({ created_at: '2026-12-03T10:59:59.500Z' });
    expect(matchesFilter(inCycle, { ...filter, cycle })).toBe(true);
  });

  it('merges pages and live entries oldest first without duplicates', () => {
    const a = buildLogEntry({ id: 1 });
    const b = buildLogEntry({ id: 2 });
    const c = buildLogEntry({ id: 3 });
    const merged = mergeEntries([[c, b], [a]], [c], all);
    expect(merged.map((entry) => entry.id)).toEqual([1, 2, 3]);
  });
});
