import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { openDatabase, queryRows } from '/work/main/apps/server/src/db/client.ts';
import { queryTokenStatus } from '/work/main/apps/server/src/tokens/statusQuery.ts';
import { parseEnv } from '/work/main/apps/server/src/config/env.ts';
const info = JSON.parse(readFileSync('/tmp/relx/info.json', 'utf8'));
const d = await openDatabase({ databaseUrl: info.db, poolSize: 2 });
const [org] = await queryRows<{ id: string }>(d.db, sql`select id from orgs where name = 'x'`);
const ctx = { db: d.db, env: parseEnv({ NODE_ENV: 'test' }), now: () => new Date() } as never;
for (let i = 0; i < 5; i++) {
  const t0 = performance.now();
  const r = await queryTokenStatus(ctx, org!.id, { limit: 100, offset: 0 });
  const t1 = performance.now();
  const s = JSON.stringify(r);
  console.log('query+derive', (t1 - t0).toFixed(1), 'ms; stringify', (performance.now() - t1).toFixed(1), s.length);
}
for (let i = 0; i < 3; i++) {
  const t0 = performance.now();
  await queryRows(d.db, sql`select a.*, t.* from ebay_accounts a left join ebay_tokens t on t.account_id=a.id order by a.house_name`);
  const t1 = performance.now();
  await queryRows(d.db, sql`select a.*, t.access_expires_at, t.refresh_expires_at, t.last_refresh_at from ebay_accounts a left join ebay_tokens t on t.account_id=a.id order by a.house_name`);
  console.log('raw full', (t1 - t0).toFixed(1), 'raw narrow', (performance.now() - t1).toFixed(1));
}
await d.close();
