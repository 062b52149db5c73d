import { describe, expect, it } from 'vitest';
import type { TerminalFilter } from '../../api/terminal.ts';
import {
  BROKEN_ACCOUNT_ID,
  buildCycleEntry,
  buildDecryptFailedEntry,
  buildLogEntry,
} from '../../test/fixtures.ts';
import { matchesFilter, mergeEntries } from './entryFilter.ts';

const all: TerminalFilter = {
  kind: 'token',
  env: undefined,
  sources: [],
  accountId: null,
  errorsOnly: false,
  search: '',
  errorCodes: [],
  cycle: null,
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

  it('merges pages and live entries oldest first without duplicates', () => {
    const a = buildLogEntry({ id: 1 });
    const b = buildLogEntry({ id: 2 });
    const c = buildLogEntry({ id: 3 });
    const merged = mergeEntries([[c, b], [a]], [c], all);
    expect(merged.map((entry) => entry.id)).toEqual([1, 2, 3]);
  });
});
