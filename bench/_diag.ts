import { createTokenCipher, generateKeySpec, parseKeyRing } from '../apps/server/src/crypto/tokenCipher.ts';
import { createBenchDatabase } from './lib/benchDb.ts';
import { resetDueAccounts, seedOrgs, seedRefreshableAccounts } from './lib/seed.ts';
import { startSimProcess } from './lib/simProcess.ts';
import { startWorkerProcess } from './lib/workerProcess.ts';
import pg from 'pg';
const n = Number(process.argv[2] ?? 1000);
const sim = await startSimProcess();
const db = await createBenchDatabase('diag');
const keySpec = generateKeySpec('bench');
const cipher = createTokenCipher(parseKeyRing(keySpec));
const grants = await sim.issueGrants(n, 'b');
const orgIds = await seedOrgs(db.pool, ['o1']);
await seedRefreshableAccounts(db.pool, cipher, grants.map((grant) => ({ grant, orgId: orgIds[0]!, accessExpiresAt: new Date(Date.now() + 7200e3) })));
const worker = await startWorkerProcess({ databaseUrl: db.url, keySpec, sim });
await sim.setLatency(Number(process.argv[3] ?? 50));
const admin = new pg.Client({ connectionString: db.url }); await admin.connect();
for (let r = 0; r < 2; r++) {
  await resetDueAccounts(db.pool, n);
  const counts: Record<string, number> = {};
  let stop = false;
  const sampler = (async () => { while (!stop) {
    const { rows } = await admin.query(`select state, coalesce(wait_event_type,'-')||':'||coalesce(wait_event,'-') w, left(query, 40) q from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`);
    for (const row of rows) { const k = `${row.state} ${row.w} ${row.state === 'active' ? row.q : ''}`; counts[k] = (counts[k] ?? 0) + 1; }
    await new Promise((res) => setTimeout(res, 20)); } })();
  const run = await worker.runCycle(32);
  stop = true; await sampler;
  console.log(run.wallMs, run.refreshed, (run.cpuUserMs + run.cpuSystemMs) / run.wallMs);
  console.log(Object.entries(counts).sort((a, b) => b[1] - a[1]).slice(0, 15));
}
await admin.end(); await worker.stop(); await sim.stop(); await db.close();
