import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { dbNumber, queryRows } from '@ebay-connector/server';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { ARTIFACTS_DIR, LOG_DIR, RESPONSES_DIR } from '../lib/paths.ts';
import { type SecretHit, SecretIndex } from '../lib/secretScan.ts';
import type { SuiteEnv } from '../lib/suiteEnv.ts';

/**
 * Secrets, after everything else: every token, code and client secret the simulator ever issued
 * (`/__sim/issued-secrets`) is looked for in a full pg_dump of the test database, in every API
 * response body the suite received, and in the stdout/stderr of every process it started. The
 * processes are stopped first (gracefully) so their logs are complete.
 */

export interface SecretsResult {
  secrets: number;
  webExit: number | null;
  simExit: number | null;
  scanned: { source: string; files: number; bytes: number }[];
  /** Token rows in the database: each holds two encrypted values the dump must contain. */
  tokenRows: number;
  encryptedValuesInDump: number;
  controlHits: number;
  hits: SecretHit[];
}

export async function runSecretsStage(env: SuiteEnv): Promise<SecretsResult> {
  const webExit = (await env.web.child.stop('SIGTERM')).code;
  const secrets = await env.sim.issuedSecrets();
  const simExit = (await env.sim.child.stop('SIGTERM')).code;
  const index = new SecretIndex(secrets);

  const [rows] = await queryRows(
    env.ctx.db,
    sql`select count(*)::int as n from ebay_tokens`,
    z.looseObject({ n: dbNumber }),
  );
  const dumpFile = path.join(ARTIFACTS_DIR, 'dump.sql');
  await promisify(execFile)(
    'pg_dump',
    ['--no-owner', '--no-privileges', '--file', dumpFile, env.database.url!],
    {
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  const bodyFiles = await env.archive.close();
  const logFiles = readdirSync(LOG_DIR).map((f) => path.join(LOG_DIR, f));

  const hits: SecretHit[] = [];
  const scanned: SecretsResult['scanned'] = [];
  let encryptedValuesInDump = 0;
  for (const [source, files] of [
    ['database dump', [dumpFile]],
    ['API response bodies', bodyFiles],
    ['process logs', logFiles],
  ] as const) {
    let bytes = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      bytes += statSync(file).size;
      hits.push(...index.scan(text, path.relative(ARTIFACTS_DIR, file)));
      if (source === 'database dump') encryptedValuesInDump = text.split('ENC:v1:').length - 1;
    }
    scanned.push({ source, files: files.length, bytes });
  }
  // Positive control: the same scan finds a real issued secret planted raw and percent-encoded.
  const planted = secrets.find((s) => s.startsWith('v^')) ?? secrets[0]!;
  const controlHits = index.scan(
    `x ${planted} refresh_token=${encodeURIComponent(planted)}&`,
    'control',
  ).length;
  if (hits.length === 0) {
    // Bulky and, now, known clean.
    rmSync(RESPONSES_DIR, { recursive: true, force: true });
    rmSync(dumpFile, { force: true });
  }
  const tokenRows = rows?.n ?? 0;
  return {
    secrets: index.size,
    webExit,
    simExit,
    scanned,
    tokenRows,
    encryptedValuesInDump,
    controlHits,
    hits,
  };
}
