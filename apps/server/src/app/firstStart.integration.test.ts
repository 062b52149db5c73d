import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { queryRows } from '../db/client.ts';
import { dbNumber } from '../db/rows.ts';
import { createTestContext, useSim } from '../test/appContext.ts';
import { describeEachDb } from '../test/db.ts';
import { firstStart } from './firstStart.ts';

describeEachDb('first start', (getDb) => {
  const getSim = useSim();

  it('creates the admin and the demo accounts once, and nothing on a second start', async () => {
    const ctx = createTestContext(getDb(), getSim(), {
      env: { ADMIN_EMAIL: 'ops@example.com', ADMIN_PASSWORD: 'a-long-password' },
    });
    await firstStart(ctx, getSim());
    await firstStart(ctx, getSim());
    const [counts] = await queryRows(
      ctx.db,
      sql`select (select count(*)::int from users) as users, (select count(*)::int from orgs) as orgs,
            (select count(*)::int from ebay_accounts) as accounts,
            (select count(*)::int from ebay_tokens where refresh_token not like 'ENC:v1:test1:%') as broken`,
      z.looseObject({ users: dbNumber, orgs: dbNumber, accounts: dbNumber, broken: dbNumber }),
    );
    expect(counts).toMatchObject({ users: 1, orgs: 1 });
    expect(counts!.accounts).toBeGreaterThanOrEqual(10);
    // The incident's broken kinds are there for the doctor: a retired key and plain text show in the prefix.
    expect(counts!.broken).toBe(2);
    const [user] = await queryRows(
      ctx.db,
      sql`select email, password_hash from users`,
      z.looseObject({ email: z.string(), password_hash: z.string() }),
    );
    expect(user!.email).toBe('ops@example.com');
    expect(user!.password_hash).toMatch(/^\$argon2id\$/);
  });
});
