import { type EbaySim, startEbaySim } from '@ebay-connector/ebay-sim';
import pino from 'pino';
import { type Env, parseEnv } from '../config/env.ts';
import type { AppContext } from '../context.ts';
import { createTokenCipher, generateKeySpec, parseKeyRing } from '../crypto/tokenCipher.ts';
import type { Database } from '../db/client.ts';
import { simulatedEbay } from './simulator.ts';

/** An AppContext on a test database, talking to a simulator, with a controllable clock. */
export interface TestContext extends AppContext {
  clock: TestClock;
}

export interface TestClock {
  now(): Date;
  set(date: Date): void;
  advance(ms: number): void;
  /** Back to following real time. */
  real(): void;
}

export function createTestClock(): TestClock {
  let fixed: number | null = null;
  return {
    now: () => new Date(fixed ?? Date.now()),
    set: (d) => {
      fixed = d.getTime();
    },
    advance: (ms) => {
      fixed = (fixed ?? Date.now()) + ms;
    },
    real: () => {
      fixed = null;
    },
  };
}

export const TEST_KEY_SPEC = generateKeySpec('test1');

export function createTestContext(
  database: Database,
  sim: EbaySim,
  overrides: { env?: Record<string, string>; keySpec?: string; instanceId?: string } = {},
): TestContext {
  const env: Env = parseEnv({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...overrides.env });
  const clock = createTestClock();
  return {
    db: database.db,
    dbKind: database.kind,
    env,
    cipher: createTokenCipher(parseKeyRing(overrides.keySpec ?? TEST_KEY_SPEC)),
    ebay: simulatedEbay(sim, 2_000),
    logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    now: () => clock.now(),
    instanceId: overrides.instanceId ?? `test-${process.pid}`,
    clock,
  };
}

/** Starts a simulator for a describe block; closes it afterwards. */
export function useSim(): () => EbaySim {
  let sim: EbaySim | undefined;
  beforeAll(async () => {
    sim = await startEbaySim();
  });
  afterAll(async () => {
    await sim?.close();
  });
  return () => {
    if (!sim) throw new Error('simulator not started');
    return sim;
  };
}
