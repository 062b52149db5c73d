import { writeFileSync } from 'node:fs';
import { createUser } from '../../apps/server/src/auth/users.ts';
import { createAccounts, createOrg } from '../lib/accounts.ts';
import { signIn } from '../lib/http.ts';
import { startWorker } from '../lib/roles.ts';
import { startSuiteEnv } from '../lib/suiteEnv.ts';

const env = await startSuiteEnv();
const orgId = await createOrg(env.ctx, 'x');
await createUser(env.ctx.db, { orgId, email: 'x@x.test', role: 'admin', password: 'password-123' });
const cookie = await signIn(env.api, 'x@x.test', 'password-123');
await createAccounts(env.ctx, env.sim, { orgId, count: 2000, accessExpiresInSeconds: 60, label: 'load' });
const w = await startWorker(env.roles, 'wx', {});
while ((await env.sim.counters()).refreshCalls < 2000) await new Promise((r) => setTimeout(r, 500));
await new Promise((r) => setTimeout(r, 2000));
await w.child.stop();
writeFileSync('/tmp/relx/info.json', JSON.stringify({ web: env.web.url, sim: env.sim.url, cookie, db: env.database.url, proxied: env.roles.databaseUrl, key: env.roles.keySpec, secret: env.sim.clientSecret, cid: env.sim.clientId, ru: env.sim.ruName }));
console.log('ready');
setInterval(() => {}, 1000);
