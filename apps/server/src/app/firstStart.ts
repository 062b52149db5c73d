import type { EbaySim } from '@ebay-connector/ebay-sim';
import { bootstrapFirstAdmin } from '../auth/users.ts';
import type { AppContext } from '../context.ts';
import { seedDemoAccounts } from './demoSeed.ts';

export const DEFAULT_ADMIN_EMAIL = 'admin@example.com';
export const DEFAULT_ORG_NAME = 'Demo Org';

/**
 * On an empty database: the first org and its admin (ADMIN_EMAIL/ADMIN_PASSWORD, or a
 * generated password printed once) and, with the simulator, demo accounts in that org.
 * A second start finds users and does nothing.
 */
export async function firstStart(ctx: AppContext, sim: EbaySim | null): Promise<void> {
  const admin = await bootstrapFirstAdmin(ctx.db, {
    orgName: DEFAULT_ORG_NAME,
    email: ctx.env.ADMIN_EMAIL ?? DEFAULT_ADMIN_EMAIL,
    password: ctx.env.ADMIN_PASSWORD,
  });
  if (!admin) return;
  if (admin.generatedPassword) {
    // Printed once, on purpose, to the terminal only (not the structured log).
    process.stdout.write(
      `\n  First start: created ${admin.email} with password ${admin.generatedPassword}\n  (shown once; set ADMIN_PASSWORD to choose it)\n\n`,
    );
  } else {
    ctx.logger.info({ email: admin.email }, 'First start: created the admin user');
  }
  if (sim) {
    const count = await seedDemoAccounts(ctx, sim, admin.orgId);
    ctx.logger.info({ count }, 'Seeded demo eBay accounts (simulator)');
  }
}
