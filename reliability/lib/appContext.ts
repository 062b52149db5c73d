import { type AppContext, createTokenCipher, type Db, parseEnv, parseKeyRing } from '@ebay-connector/server';
import { simulatedEbay } from '@ebay-connector/server/test-support';
import pino from 'pino';
import type { RemoteSim } from './sim.ts';

/** The suite's own AppContext: the same key ring and eBay app as the processes under test. */
export function suiteContext(db: Db, sim: RemoteSim, keySpec: string): AppContext {
  return {
    db,
    dbKind: 'postgres',
    env: parseEnv({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }),
    cipher: createTokenCipher(parseKeyRing(keySpec)),
    ebay: simulatedEbay(sim, 5_000),
    logger: pino({ level: 'silent' }),
    now: () => new Date(),
    instanceId: `reliability-suite-${process.pid}`,
  };
}
