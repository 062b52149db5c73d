import type { Environment } from '@ebay-connector/contracts';
import type { Logger } from 'pino';
import type { Env } from './config/env.ts';
import type { TokenCipher } from './crypto/tokenCipher.ts';
import type { Db } from './db/client.ts';

/** The eBay application this deployment talks to (real eBay or the built-in simulator). */
export interface EbayAppConfig {
  clientId: string;
  clientSecret: string;
  ruName: string;
  scopes: string[];
  defaultEnvironment: Environment;
  /** Scheme+host overrides of the three eBay hosts (the simulator sets all three). */
  overrides: { authBaseUrl?: string; apiBaseUrl?: string; apizBaseUrl?: string };
  timeoutMs: number;
  /** True when the overrides point at the built-in simulator. */
  simulated: boolean;
}

/** Everything a domain function may need besides its arguments. Built once per process. */
export interface AppContext {
  db: Db;
  dbKind: 'postgres' | 'pglite';
  env: Env;
  cipher: TokenCipher;
  ebay: EbayAppConfig;
  logger: Logger;
  /** Injectable clock: tests and the quota benchmark move time without sleeping. */
  now: () => Date;
  /** Identifies this process in leases and heartbeats. */
  instanceId: string;
}
