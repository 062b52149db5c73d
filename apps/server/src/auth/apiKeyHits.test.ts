import { ApiKeyHitCounter } from './apiKeyHits.ts';

/** A database window of one key, as `rate_limits` keeps it, and a clock the test moves. */
function setup(max: number, syncMs: number) {
  let now = 0;
  let database = 0;
  const counter = new ApiKeyHitCounter(max, syncMs, () => now);
  const request = () => {
    const send = counter.toSend('k');
    if (send > 0) {
      database += send;
      return { sent: send, ...counter.sent('k', database, 60_000 - now) };
    }
    return { sent: 0, ...counter.counted('k')! };
  };
  return { request, advance: (ms: number) => (now += ms), database: () => database };
}

describe('ApiKeyHitCounter', () => {
  it('sends the first hit, counts the next ones here, and sends them all once syncMs passed', () => {
    const s = setup(100, 250);
    expect(s.request()).toMatchObject({ sent: 1, hits: 1 });
    expect(s.request()).toMatchObject({ sent: 0, hits: 2 });
    expect(s.request()).toMatchObject({ sent: 0, hits: 3 });
    expect(s.database()).toBe(1);
    s.advance(250);
    expect(s.request()).toMatchObject({ sent: 3, hits: 4 });
    expect(s.database()).toBe(4);
  });

  it('sends before passing the limit, so a refusal is always a count of the database', () => {
    const s = setup(3, 10_000);
    const answers = Array.from({ length: 5 }, () => s.request());
    expect(answers.map((a) => a.hits)).toEqual([1, 2, 3, 4, 5]);
    expect(answers.map((a) => a.sent)).toEqual([1, 0, 0, 3, 1]);
    expect(s.database()).toBe(5);
  });

  it('starts over when the window ended, dropping what it counted for the old one', () => {
    const s = setup(100, 10_000);
    s.request();
    s.request();
    s.advance(60_000);
    expect(s.request()).toMatchObject({ sent: 1 });
  });

  it('sends every hit with syncMs 0', () => {
    const s = setup(100, 0);
    expect([s.request(), s.request(), s.request()].map((a) => a.sent)).toEqual([1, 1, 1]);
  });
});
