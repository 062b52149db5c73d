import type { AppContext } from '@ebay-connector/server';
import type { SuiteAccount } from './accounts.ts';
import type { RemoteSim } from './sim.ts';
import { finalTokenRows } from './tokenRows.ts';

/**
 * After the fault rounds: nothing lost, nothing changed that must not change. Every account
 * still exists, is active and holds no lease; its refresh token decrypts to exactly the one
 * the simulator issued; its access token decrypts to a token the simulator accepts (sampled);
 * and its row version counts exactly its successful refreshes (no lost or doubled write).
 */
export async function checkTokensAfterFaults(
  ctx: AppContext,
  sim: RemoteSim,
  orgId: string,
  accounts: SuiteAccount[],
  sample: number,
): Promise<{ rows: number; problems: string[]; sampledAccessTokens: number }> {
  const rows = await finalTokenRows(ctx, orgId);
  const issued = new Map(accounts.map((a) => [a.accountId, a.refreshToken]));
  const problems: string[] = [];
  const accessTokens: string[] = [];
  for (const row of rows) {
    const id = row.account_id;
    if (!issued.has(id)) problems.push(`${id}: an account the suite did not create`);
    if (row.status !== 'active') problems.push(`${id}: status ${row.status}`);
    if (row.lease_owner !== null) problems.push(`${id}: still leased by ${row.lease_owner}`);
    const refresh = ctx.cipher.decryptToken(row.refresh_token);
    if (!refresh.ok) problems.push(`${id}: refresh token does not decrypt (${refresh.diagnosis})`);
    else if (refresh.plaintext !== issued.get(id)) problems.push(`${id}: refresh token changed`);
    const access = row.access_token ? ctx.cipher.decryptToken(row.access_token) : null;
    if (!access?.ok) problems.push(`${id}: access token missing or does not decrypt`);
    else if (accessTokens.length < sample) accessTokens.push(access.plaintext);
    if (row.version !== 1 + row.successes) {
      problems.push(`${id}: version ${row.version} after ${row.successes} successful refreshes`);
    }
  }
  for (const token of accessTokens) {
    if (!(await sim.acceptsAccessToken(token)))
      problems.push('a stored access token is not accepted by eBay');
  }
  return { rows: rows.length, problems, sampledAccessTokens: accessTokens.length };
}
