import type { CliCommand } from './registry.ts';

export const dbMigrate: CliCommand = {
  group: 'db',
  name: 'migrate',
  summary: 'Applies pending database migrations (safe to run from several replicas at once).',
  usage: '',
  options: {},
  async run(_values, ctx) {
    // Opening the database applies the migrations.
    await ctx.database();
    ctx.io.out('Database migrated.');
    return 0;
  },
};
