import { describeEachDb } from '../test/db.ts';
import { warmPool } from './client.ts';

describeEachDb('warmPool: the pool opened before a burst of work', (getDb, kind) => {
  if (kind === 'pglite') {
    it('is a no-op on PGlite', async () => {
      expect(await warmPool(getDb().db, 10)).toBe(0);
    });
    return;
  }

  it('opens the missing connections up to the number asked for, idle, and no more (capped by the pool max)', async () => {
    const { db, pool } = getDb();
    // The migration left a connection or so open.
    const before = pool!.totalCount;
    expect(await warmPool(db, 12)).toBe(12 - before);
    expect(pool!.totalCount).toBe(12);
    expect(pool!.idleCount).toBe(12);
    expect(await warmPool(db, 12)).toBe(0);
    // The test pool's max is 30.
    expect(await warmPool(db, 100)).toBe(18);
    expect(pool!.totalCount).toBe(30);
  });

  it('counts connections checked out by others as open', async () => {
    const { db, pool } = getDb();
    const held = await pool!.connect();
    try {
      expect(await warmPool(db, 30)).toBe(0);
      expect(pool!.totalCount).toBe(30);
    } finally {
      held.release();
    }
  });
});
