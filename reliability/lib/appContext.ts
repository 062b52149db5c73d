import pino from 'pino';
import { parseEnv } from '../../apps/server/src/config/env.ts';
import type { AppContext } from '../../apps/server/src/context.ts';
import { createTokenCipher, parseKeyRing } from '../../apps/server/src/crypto/tokenCipher.ts';
import type { Db } from '../../apps/server/src/db/client.ts';
import { simulatedEbay } from '../../apps/server/src/test/appContext.ts';
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
