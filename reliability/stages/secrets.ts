import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { createApiKey, dbNumber, queryRows } from '@ebay-connector/server';
import { buildOrg } from '@ebay-connector/server/test-support';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { ARTIFACTS_DIR, LOG_DIR, RESPONSES_DIR } from '../lib/paths.ts';
import { type SecretHit, SecretIndex } from '../lib/secretScan.ts';
import type { SuiteEnv } from '../lib/suiteEnv.ts';

/**
 * Secrets, after everything else: every token, code and client secret the simulator ever issued
 * (`/__sim/issued-secrets`) and an API key created and used here (the service API and its eBay
 * proxy, over HTTP to the web process) are looked for in a full pg_dump of the test database, in
 * every API response body the suite received, and in the stdout/stderr of every process it
 * started. The processes are stopped first (gracefully) so their logs are complete.
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
  /** Statuses of the calls made with the API key (accounts, proxy, bad path, malformed key). */
  apiKeyCalls: Record<string, number>;
  hits: SecretHit[];
}

/**
 * Creates a key (as the CLI would: straight into the database, so no response holds it) and uses
 * it for calls that must never echo it: the accounts list, a proxied Sell API call, a proxy path
 * attack and a malformed key. Not the access-token endpoint: its answer holds a token by design.
 */
async function useAnApiKey(env: SuiteEnv): Promise<{ key: string; calls: Record<string, number> }> {
  const [account] = await queryRows(
    env.ctx.db,
    sql`select id::text as id, org_id::text as org_id from ebay_accounts order by created_at limit 1`,
    z.looseObject({ id: z.string(), org_id: z.string() }),
  );
  const orgId = account?.org_id ?? (await buildOrg(env.ctx.db, 'reliability secret scan')).id;
  const { key } = await createApiKey(env.ctx.db, {
    orgId,
    name: 'reliability secret scan',
    scopes: ['tokens', 'proxy'],
    createdBy: null,
  });
  const id = account?.id ?? '00000000-0000-4000-8000-000000000000';
  const calls: Record<string, number> = {};
  for (const [name, path, k] of [
    ['accounts', '/api/v1/ebay/accounts', key],
    ['proxy', `/api/v1/ebay/proxy/${id}/sell/fulfillment/v1/order?limit=1`, key],
    ['proxy_attack', `/api/v1/ebay/proxy/${id}/..%2f..%2fapi/admin/api-keys`, key],
    ['malformed_key', '/api/v1/ebay/accounts', `${key}x`],
  ] as const) {
    const res = await env.api.request({ method: 'GET', path, headers: { authorization: `Bearer ${k}` } });
    calls[name] = res.status;
  }
  return { key, calls };
}

export async function runSecretsStage(env: SuiteEnv): Promise<SecretsResult> {
  const apiKey = await useAnApiKey(env);
  const webExit = (await env.web.child.stop('SIGTERM')).code;
  const secrets = [...(await env.sim.issuedSecrets()), apiKey.key];
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
    `x ${planted} refresh_token=${encodeURIComponent(planted)}& Bearer ${apiKey.key}`,
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
    apiKeyCalls: apiKey.calls,
    hits,
  };
}
