import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IssuedGrant } from '@ebay-connector/ebay-sim';
import { type BenchChild, spawnBenchChild } from './ipc.ts';

/** Parent-side handle on the simulator child process (children/simChild.ts). */

const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), '../children/simChild.ts');

export interface SimInfo {
  url: string;
  clientId: string;
  clientSecret: string;
  ruName: string;
}

export interface SimGrant {
  userId: string;
  username: string;
  refreshToken: string;
}

export interface SimProcess extends SimInfo {
  child: BenchChild;
  issueGrants(count: number, prefix: string): Promise<SimGrant[]>;
  setLatency(ms: number): Promise<void>;
  issueGrant(username: string): Promise<IssuedGrant>;
  expireAccessTokens(userId: string): Promise<number>;
  counters(): Promise<{
    refreshCalls: number;
    tokenCalls: number;
    maxConcurrentRefreshesOfOneToken: number;
    sellCalls: number;
    sellUnauthorized: number;
  }>;
  resetCounters(): Promise<void>;
  stop(): Promise<void>;
}

export async function startSimProcess(): Promise<SimProcess> {
  const child = spawnBenchChild(SCRIPT);
  await child.ready;
  const info = await child.call<SimInfo>('info');
  return {
    ...info,
    child,
    async issueGrants(count, prefix) {
      const all: SimGrant[] = [];
      // Chunks keep each IPC message small.
      for (let i = 0; i < count; i += 5_000) {
        const n = Math.min(5_000, count - i);
        all.push(...(await child.call<SimGrant[]>('issueGrants', { count: n, prefix: `${prefix}${i}x` })));
      }
      return all;
    },
    setLatency: (ms) => child.call('setLatency', { ms }),
    issueGrant: (username) => child.call('issueGrant', { username }),
    expireAccessTokens: (userId) => child.call('expireAccessTokens', { userId }),
    counters: () => child.call('counters'),
    resetCounters: () => child.call('resetCounters'),
    stop: () => child.stop(),
  };
}
