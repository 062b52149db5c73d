import { CountsCache, type StateCounts } from './statusCounts.ts';

const OPTIONS = { minAccounts: 100, freshMs: 2_000, maxAgeMs: 10_000, maxEntries: 3 };
const T0 = Date.parse('2030-01-01T00:00:00.000Z');
const at = (ms: number) => new Date(T0 + ms);

/** A counter whose answers say which call made them (`total` = 1000 + call number, unless small). */
function counter(small = false) {
  let calls = 0;
  let release: (() => void) | null = null;
  const count = async (now: Date): Promise<StateCounts> => {
    calls++;
    const n = calls;
    if (release === null) await Promise.resolve();
    else await new Promise<void>((resolve) => (release = resolve));
    const total = small ? 10 : 1000 + n;
    return { counts: { healthy: total }, codesByState: {}, total, asOf: now };
  };
  return {
    for: (now: Date) => () => count(now),
    get calls() {
      return calls;
    },
    /** From now on each count waits for `finish()`. */
    hold() {
      release = () => {};
    },
    /** Lets the waiting count finish; later ones finish at once again. */
    finish() {
      const waiting = release;
      release = null;
      waiting?.();
    },
  };
}

describe('counts cache of the status card', () => {
  it('reuses a large answer while fresh, and counts again once it is too old', async () => {
    const cache = new CountsCache(OPTIONS);
    const c = counter();
    expect((await cache.get('k', at(0), c.for(at(0)))).total).toBe(1001);
    expect((await cache.get('k', at(2_000), c.for(at(2_000)))).total).toBe(1001);
    expect(c.calls).toBe(1);
    const late = await cache.get('k', at(10_001), c.for(at(10_001)));
    expect(late).toMatchObject({ total: 1002, asOf: at(10_001) });
  });

  it('between fresh and too old, answers at once and recounts once behind', async () => {
    const cache = new CountsCache(OPTIONS);
    const c = counter();
    await cache.get('k', at(0), c.for(at(0)));
    c.hold();
    const stale = await cache.get('k', at(5_000), c.for(at(5_000)));
    expect(stale).toMatchObject({ total: 1001, asOf: at(0) });
    await cache.get('k', at(5_100), c.for(at(5_100)));
    expect(c.calls).toBe(2);
    c.finish();
    await vi.waitFor(async () =>
      expect((await cache.get('k', at(5_200), c.for(at(5_200)))).total).toBe(1002),
    );
    expect(c.calls).toBe(2);
  });

  it('never keeps a small answer, and lets concurrent requests share one count', async () => {
    const cache = new CountsCache(OPTIONS);
    const small = counter(true);
    await cache.get('small', at(0), small.for(at(0)));
    await cache.get('small', at(0), small.for(at(0)));
    expect(small.calls).toBe(2);
    const first = counter();
    first.hold();
    const together = Promise.all([
      cache.get('new', at(0), first.for(at(0))),
      cache.get('new', at(1), first.for(at(1))),
    ]);
    first.finish();
    expect((await together).map((r) => r.total)).toEqual([1001, 1001]);
    expect(first.calls).toBe(1);

    const c = counter();
    await cache.get('k', at(0), c.for(at(0)));
    c.hold();
    const both = Promise.all([
      cache.get('k', at(20_000), c.for(at(20_000))),
      cache.get('k', at(20_001), c.for(at(20_001))),
    ]);
    c.finish();
    expect((await both).map((r) => r.total)).toEqual([1002, 1002]);
    expect(c.calls).toBe(2);
  });

  it('forgets an answer whose recount failed, and counts afresh when the clock went back', async () => {
    const cache = new CountsCache(OPTIONS);
    const c = counter();
    await cache.get('k', at(0), c.for(at(0)));
    await expect(cache.get('k', at(20_000), () => Promise.reject(new Error('db down')))).rejects.toThrow(
      'db down',
    );
    expect((await cache.get('k', at(20_001), c.for(at(20_001)))).total).toBe(1002);
    expect((await cache.get('k', at(1_000), c.for(at(1_000)))).total).toBe(1003);
  });

  it('keeps at most maxEntries answers, dropping the oldest', async () => {
    const cache = new CountsCache(OPTIONS);
    const c = counter();
    for (const key of ['a', 'b', 'c', 'd']) await cache.get(key, at(0), c.for(at(0)));
    await cache.get('d', at(0), c.for(at(0)));
    await cache.get('a', at(0), c.for(at(0)));
    expect(c.calls).toBe(5);
  });
});
