/**
 * Fault injection for the token endpoint: random faults at configured rates for soak
 * tests and benchmarks, and a queue of "fail the next N calls" for deterministic tests.
 */

export type FaultRates = {
  rate5xx: number;
  rate429: number;
  retryAfterSeconds: number;
  rateTimeout: number;
  rateReset: number;
  rateHtml5xx: number;
};

export type FailKind = '5xx' | '429' | 'timeout' | 'reset' | 'html5xx' | 'invalid_grant' | 'invalid_client';

export const FAIL_KINDS: readonly FailKind[] = [
  '5xx',
  '429',
  'timeout',
  'reset',
  'html5xx',
  'invalid_grant',
  'invalid_client',
];

const RATE_KEYS = ['rate5xx', 'rate429', 'rateTimeout', 'rateReset', 'rateHtml5xx'] as const;

const NO_FAULTS: FaultRates = {
  rate5xx: 0,
  rate429: 0,
  retryAfterSeconds: 1,
  rateTimeout: 0,
  rateReset: 0,
  rateHtml5xx: 0,
};

const KIND_OF_RATE: Record<(typeof RATE_KEYS)[number], FailKind> = {
  rate5xx: '5xx',
  rate429: '429',
  rateTimeout: 'timeout',
  rateReset: 'reset',
  rateHtml5xx: 'html5xx',
};

export class FaultInjector {
  private rates: FaultRates = { ...NO_FAULTS };
  private queue: FailKind[] = [];

  constructor(private readonly random: () => number = Math.random) {}

  /** Unspecified rates go back to 0, so each call states the whole fault picture. */
  setFaults(rates: Partial<FaultRates>): void {
    const next = { ...NO_FAULTS, ...rates };
    for (const key of [...RATE_KEYS, 'retryAfterSeconds'] as const) {
      const value = next[key];
      if (!Number.isFinite(value) || value < 0) throw new RangeError(`${key} must be a number >= 0`);
      if (key !== 'retryAfterSeconds' && value > 1) throw new RangeError(`${key} is a probability (0..1)`);
    }
    this.rates = next;
  }

  failNext(kind: FailKind, count = 1): void {
    if (!FAIL_KINDS.includes(kind)) throw new RangeError(`unknown fail kind "${kind}"`);
    if (!Number.isInteger(count) || count < 0) throw new RangeError('count must be an integer >= 0');
    for (let i = 0; i < count; i++) this.queue.push(kind);
  }

  get retryAfterSeconds(): number {
    return this.rates.retryAfterSeconds;
  }

  /** The fault to apply to this call, if any. Queued failures win over random ones. */
  pick(): FailKind | null {
    const queued = this.queue.shift();
    if (queued) return queued;
    let roll = this.random();
    for (const key of RATE_KEYS) {
      if (roll < this.rates[key]) return KIND_OF_RATE[key];
      roll -= this.rates[key];
    }
    return null;
  }

  reset(): void {
    this.rates = { ...NO_FAULTS };
    this.queue = [];
  }
}
