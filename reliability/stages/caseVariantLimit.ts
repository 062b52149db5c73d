import { createUser } from '@ebay-connector/server';
import { createAccounts, createOrg } from '../lib/accounts.ts';
import { signIn } from '../lib/http.ts';
import type { SuiteEnv } from '../lib/suiteEnv.ts';

/**
 * Attack (issue 15): an org admin sends the debug refresh of one account under many spellings of
 * its id (upper case, mixed case). PostgreSQL reads them all as the same UUID, so a limit keyed on
 * the string as sent gave each spelling a fresh budget of 6 a minute, each a real eBay call
 * against the application's shared daily quota. Every spelling must count against one limit.
 */

export interface CaseVariantResult {
  requests: number;
  spellings: number;
  answered200: number;
  answered429: number;
  otherStatuses: number[];
  ebayTokenCalls: number;
}

export async function runCaseVariantStage(
  env: SuiteEnv,
  o: { requests: number },
): Promise<CaseVariantResult> {
  const { ctx, sim, api } = env;
  const orgId = await createOrg(ctx, 'reliability-case-variant');
  const password = 'case-variant-password-1';
  const created = await createUser(ctx.db, {
    orgId,
    email: 'case@reliability.test',
    role: 'admin',
    password,
  });
  if (!created.ok) throw new Error(created.message);
  const cookie = await signIn(api, 'case@reliability.test', password);
  const [account] = await createAccounts(ctx, sim, {
    orgId,
    count: 1,
    accessExpiresInSeconds: 7200,
    label: 'case variant',
  });
  const id = account!.accountId;
  // The id with its n-th letter upper-cased, for the first 8 letters, and all upper case: distinct
  // spellings whatever the id (a pattern over positions could hit only digits, and collapse).
  const letterAt = [...id].flatMap((c, i) => (/[a-f]/.test(c) ? [i] : []));
  const spellings = letterAt
    .slice(0, 8)
    .map((at) => [...id].map((c, i) => (i === at ? c.toUpperCase() : c)).join(''));
  spellings.push(id.toUpperCase());
  const before = (await sim.counters()).tokenCalls;
  const statuses: number[] = [];
  for (let i = 0; i < o.requests; i++) {
    const res = await api.json('POST', '/api/admin/ebay/token/refresh-debug', cookie, {
      ebay_account_id: spellings[i % spellings.length],
    });
    statuses.push(res.status);
  }
  return {
    requests: o.requests,
    spellings: new Set(spellings).size,
    answered200: statuses.filter((s) => s === 200).length,
    answered429: statuses.filter((s) => s === 429).length,
    otherStatuses: statuses.filter((s) => s !== 200 && s !== 429),
    ebayTokenCalls: (await sim.counters()).tokenCalls - before,
  };
}
