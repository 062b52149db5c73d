import type { Account, AccountStatus } from '@ebay-connector/contracts';
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { ebayAccounts as a, ebayTokens, oauthStates } from '../../db/schema.ts';
import { writeConnectLog } from '../../logs/connectLog.ts';
import { presentAccount } from '../status/accountQuery.ts';

/**
 * Disable, enable and remove an account (Accounts page, account page). Each is one transaction
 * with its connect-log entry (`account_disabled`, `account_enabled`, `account_removed`, with who
 * did it), so the account's history says what happened to it. A removed account keeps its row:
 * its logs keep naming it, and the same seller connected again later continues that history.
 */

export type AccountChange = 'disable' | 'enable' | 'remove';

export type AccountChangeOutcome =
  | { ok: true; account: Account }
  | { ok: false; code: 'not_found' | 'account_removed' | 'not_disabled'; message: string };

/** Which statuses each change applies to, and what it makes of the account. */
const RULES: Record<AccountChange, { from: readonly AccountStatus[]; to: AccountStatus }> = {
  disable: { from: ['active', 'needs_reconnect', 'disabled'], to: 'disabled' },
  enable: { from: ['disabled', 'active'], to: 'active' },
  remove: { from: ['active', 'needs_reconnect', 'disabled', 'removed', 'deleted'], to: 'removed' },
};

const ACTIONS = {
  disable: 'account_disabled',
  enable: 'account_enabled',
  remove: 'account_removed',
} as const;

function refusal(change: AccountChange, status: AccountStatus): AccountChangeOutcome {
  if (status === 'deleted') {
    return {
      ok: false,
      code: 'account_removed',
      message: "the account was deleted at eBay's request; connect the seller again as a new account",
    };
  }
  if (status === 'removed') {
    return {
      ok: false,
      code: 'account_removed',
      message: 'the account was removed; connect the seller again to use it',
    };
  }
  return {
    ok: false,
    code: 'not_disabled',
    message: `only a disabled account can be enabled (this one is ${status.replace('_', ' ')}); ${change} changes nothing`,
  };
}

export async function changeAccount(
  db: Db,
  input: { orgId: string; accountId: string; change: AccountChange; by: string; now: Date },
): Promise<AccountChangeOutcome> {
  const rule = RULES[input.change];
  return db.transaction(async (tx) => {
    const [current] = await tx
      .select()
      .from(a)
      .where(and(eq(a.id, input.accountId), eq(a.orgId, input.orgId)))
      .for('update');
    if (!current) return { ok: false, code: 'not_found', message: 'eBay account not found' } as const;
    if (!rule.from.includes(current.status)) return refusal(input.change, current.status);
    // Asking twice is answered like the first time, and logged once.
    if (current.status === rule.to) return { ok: true, account: presentAccount(current) } as const;
    const reason = input.change === 'enable' ? null : `${rule.to} by ${input.by}`;
    const [updated] = await tx
      .update(a)
      .set({ status: rule.to, statusReason: reason, updatedAt: input.now })
      .where(eq(a.id, input.accountId))
      .returning();
    let tokensErased = false;
    if (input.change === 'remove') {
      const erased = await tx.delete(ebayTokens).where(eq(ebayTokens.accountId, input.accountId)).returning({
        id: ebayTokens.accountId,
      });
      tokensErased = erased.length > 0;
      // A reconnect started for it can no longer complete.
      await tx.delete(oauthStates).where(eq(oauthStates.ebayAccountId, input.accountId));
    }
    if (input.change === 'enable') {
      // Refreshed from the next cycle on, without the backoff of failures from before.
      await tx
        .update(ebayTokens)
        .set({ nextAttemptAt: null, updatedAt: sql`${input.now.toISOString()}::timestamptz` })
        .where(eq(ebayTokens.accountId, input.accountId));
    }
    await writeConnectLog(tx, {
      orgId: input.orgId,
      accountId: input.accountId,
      environment: current.environment,
      action: ACTIONS[input.change],
      source: 'manual',
      summary: {
        by: input.by,
        previous_status: current.status,
        ...(input.change === 'remove' ? { tokens_erased: tokensErased } : {}),
      },
      createdAt: input.now,
    });
    return { ok: true, account: presentAccount(updated!) } as const;
  });
}
