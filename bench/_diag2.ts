import { createTokenCipher, generateKeySpec, parseKeyRing } from '../apps/server/src/crypto/tokenCipher.ts';
import { createBenchDatabase } from './lib/benchDb.ts';
import { backendPids, CpuMeter } from './lib/cpuTime.ts';
import { resetDueAccounts, seedOrgs, seedRefreshableAccounts } from './lib/seed.ts';
import { startSimProcess } from './lib/simProcess.ts';
import { startWorkerProcess } from './lib/workerProcess.ts';
const n = Number(process.argv[2] ?? 1000);
const sim = await startSimProcess();
const db = await createBenchDatabase('diag');
const keySpec = generateKeySpec('bench');
const cipher = createTokenCipher(parseKeyRing(keySpec));
const grants = await sim.issueGrants(n, 'b');
const orgIds = await seedOrgs(db.pool, ['o1']);
await seedRefreshableAccounts(db.pool, cipher, grants.map((grant) => ({ grant, orgId: orgIds[0]!, accessExpiresAt: new Date(Date.now() + 7200e3) })));
const worker = await startWorkerProcess({ databaseUrl: db.url, keySpec, sim });
for (const lat of [0, 50, 0, 50]) {
  await sim.setLatency(lat);
  await resetDueAccounts(db.pool, n);
  const pg = new CpuMeter(), w = new CpuMeter(), s = new CpuMeter();
  const track = async () => { pg.track(await backendPids(db.pool, db.name)); w.track([worker.pid]); s.track([sim.child.pid]); };
  await track();
  const timer = setInterval(() => void track(), 200);
  const run = await worker.runCycle(32);
  clearInterval(timer); await track();
  const per = (x: number) => (x / run.refreshed).toFixed(2);
  console.log(`lat ${lat}: ${run.refreshed} in ${(run.wallMs/1000).toFixed(2)} s = ${(run.refreshed/run.wallMs*1000).toFixed(0)}/s; CPU ms/refresh worker ${per(w.totalMs())} (self ${per(run.cpuUserMs+run.cpuSystemMs)}) pg ${per(pg.totalMs())} sim ${per(s.totalMs())}`);
}
await worker.stop(); await sim.stop(); await db.close();
