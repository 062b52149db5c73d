import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createUser } from '@ebay-connector/server';
import { sql } from 'drizzle-orm';
import { createAccounts, createOrg } from '../lib/accounts.ts';
import { startChild } from '../lib/children.ts';
import { signIn } from '../lib/http.ts';
import { REPO_ROOT } from '../lib/paths.ts';
import { roleEnv } from '../lib/roles.ts';
import type { SuiteEnv } from '../lib/suiteEnv.ts';

/**
 * Attack (issue 15): an org admin names an account with escape sequences and a line break
 * followed by a fake log line. `tokens doctor` printed it raw into the operator's terminal
 * (screen cleared, window title set, a forged row). Against the suite's web process (the name at
 * input) and the real CLI as its own process (a name stored before the rule, as old rows are).
 */

const FORGED = 'Evil\x1b[2J\x1b]0;pwned\x07\r\nsource=scheduled token_refreshed \u202eShop';
// biome-ignore lint/suspicious/noControlCharactersInRegex: counting the raw bytes is the point
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/g;

export interface ControlCharactersResult {
  connectStatus: number;
  connectMessage: string;
  cliExit: number | null;
  rawControlCharacters: number;
  linesNamingTheFakeAction: number;
  escapedNameShown: boolean;
}

export async function runControlCharactersStage(env: SuiteEnv): Promise<ControlCharactersResult> {
  const { ctx, sim, api } = env;
  const orgName = 'reliability-control-characters';
  const orgId = await createOrg(ctx, orgName);
  const password = 'control-characters-1';
  const created = await createUser(ctx.db, { orgId, email: 'ctl@reliability.test', role: 'admin', password });
  if (!created.ok) throw new Error(created.message);
  const cookie = await signIn(api, 'ctl@reliability.test', password);
  const connect = await api.json('POST', '/api/admin/ebay/connect/start', cookie, {
    environment: 'production',
    house_name: FORGED,
  });
  // A name stored before the rule existed, on an account the doctor lists: its refresh token's
  // ciphertext altered (still an encrypted value, as the secrets stage's count expects).
  const [account] = await createAccounts(ctx, sim, {
    orgId,
    count: 1,
    accessExpiresInSeconds: 7200,
    label: 'control characters',
  });
  await ctx.db.execute(sql`update ebay_accounts set house_name = ${FORGED} where id = ${account!.accountId}`);
  await ctx.db.execute(
    sql`update ebay_tokens set refresh_token = left(refresh_token, -4) || 'AAAA' where account_id = ${account!.accountId}`,
  );
  const cli = startChild('cli-doctor', {
    script: path.join(REPO_ROOT, 'apps/server/src/cli.ts'),
    args: ['tokens', 'doctor', '--org', orgName],
    env: roleEnv(env.roles, { LOG_LEVEL: 'silent' }),
  });
  const exit = await cli.exit;
  const printed = readFileSync(cli.logFile, 'utf8');
  return {
    connectStatus: connect.status,
    connectMessage: (JSON.parse(connect.body) as { error?: { message?: string } }).error?.message ?? '',
    cliExit: exit.code,
    rawControlCharacters: printed.match(RAW_CONTROL)?.length ?? 0,
    linesNamingTheFakeAction: printed.split('\n').filter((l) => l.includes('token_refreshed')).length,
    escapedNameShown: printed.includes('Evil\\x1b[2J\\x1b]0;pwned\\x07\\r\\nsource=scheduled'),
  };
}
