import path from 'node:path';
import {
  type NodeProcess,
  type NodeProcessOptions,
  startNodeProcess,
} from '@ebay-connector/server/test-support';
import { LOG_DIR, REPO_ROOT } from './paths.ts';

/**
 * Child processes of the suite (simulator, web and worker roles), started by the test-support
 * spawner in production mode: each one's stdout and stderr also go to
 * `test-results/reliability/logs/<name>.log` (scanned for secrets at the end). Only processes
 * started here are ever signalled.
 */

export interface Child extends NodeProcess {
  logFile: string;
}

const started = new Set<Child>();

export function startChild(name: string, opts: Omit<NodeProcessOptions, 'name' | 'logFile' | 'cwd'>): Child {
  const logFile = path.join(LOG_DIR, `${name}.log`);
  const node = startNodeProcess({
    ...opts,
    name,
    cwd: REPO_ROOT,
    logFile,
    env: { NODE_ENV: 'production', ...opts.env },
  });
  const child: Child = {
    ...node,
    logFile,
    async stop(signal = 'SIGTERM', graceMs = 35_000) {
      const info = await node.stop(signal, graceMs);
      started.delete(child);
      return info;
    },
  };
  started.add(child);
  return child;
}

/** Cleanup after the suite: SIGKILL whatever this suite started and is still running. */
export async function killStartedChildren(): Promise<void> {
  await Promise.all([...started].map((c) => c.stop('SIGKILL', 5_000)));
}
