import { CircuitBreaker } from './circuitBreaker.ts';

describe('CircuitBreaker', () => {
  it('opens when most of the recent attempts failed as unavailable', () => {
    const breaker = new CircuitBreaker({ windowSize: 10, minAttempts: 5, failureRatio: 0.8 });
    for (let i = 0; i < 4; i++) breaker.record('ebay_unavailable');
    expect(breaker.isOpen).toBe(false);
    breaker.record('timeout');
    expect(breaker.isOpen).toBe(true);
    expect(breaker.reason).toBe('ebay_unavailable');
  });

  it('stays closed with a healthy eBay and the odd fault, and ignores terminal per-account errors', () => {
    const breaker = new CircuitBreaker({ windowSize: 10, minAttempts: 5, failureRatio: 0.8 });
    for (let i = 0; i < 100; i++) breaker.record(i % 3 === 0 ? 'network_error' : null);
    for (let i = 0; i < 20; i++) breaker.record('invalid_grant');
    expect(breaker.isOpen).toBe(false);
  });

  it('judges a sliding window, not the whole cycle', () => {
    const breaker = new CircuitBreaker({ windowSize: 10, minAttempts: 5, failureRatio: 0.8 });
    for (let i = 0; i < 100; i++) breaker.record(null);
    for (let i = 0; i < 7; i++) breaker.record('rate_limited');
    expect(breaker.isOpen).toBe(false);
    breaker.record('rate_limited');
    expect(breaker.isOpen).toBe(true);
  });

  it('opens at once on invalid_client: the app credentials are wrong for every account', () => {
    const breaker = new CircuitBreaker();
    breaker.record(null);
    breaker.record('invalid_client');
    expect(breaker.reason).toBe('invalid_client');
  });

  it('with the defaults, a 30 % fault rate practically never trips it', () => {
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let run = 0; run < 50; run++) {
      const breaker = new CircuitBreaker();
      for (let i = 0; i < 1000; i++) breaker.record(random() < 0.3 ? 'ebay_unavailable' : null);
      expect(breaker.isOpen).toBe(false);
    }
  });
});
