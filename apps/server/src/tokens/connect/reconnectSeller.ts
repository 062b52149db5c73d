import { and, eq, ne } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { ebayAccounts } from '../../db/schema.ts';
import type { EbayUser } from '../../ebay/identity.ts';
import type { ConnectFlowScope, WrongSeller } from './connectOutcome.ts';

/**
 * A reconnect is bound to its account's eBay user: when the seller signed in at eBay as someone
 * else, the grant must not touch the account (nor make a second one). What the operator reads
 * names both sellers and what happened: nothing was stored.
 */

/** eBay's username, as shown in a message: no control characters, bounded. */
const shown = (name: string) => name.replace(/[\p{Cc}\p{Cf}]/gu, '').slice(0, 64);

export async function checkReconnectSeller(
  db: Db,
  flow: ConnectFlowScope & { accountId: string },
  user: EbayUser,
): Promise<{ message: string; wrongSeller: WrongSeller } | null> {
  const [account] = await db
    .select({
      ebayUserId: ebayAccounts.ebayUserId,
      ebayUsername: ebayAccounts.ebayUsername,
      houseName: ebayAccounts.houseName,
    })
    .from(ebayAccounts)
    .where(eq(ebayAccounts.id, flow.accountId))
    .limit(1);
  if (account && account.ebayUserId === user.userId) return null;
  const [existing] = await db
    .select({ id: ebayAccounts.id, houseName: ebayAccounts.houseName })
    .from(ebayAccounts)
    .where(
      and(
        eq(ebayAccounts.orgId, flow.orgId),
        eq(ebayAccounts.environment, flow.environment),
        eq(ebayAccounts.ebayUserId, user.userId),
        ne(ebayAccounts.status, 'removed'),
      ),
    )
    .limit(1);
  const signedInAs = shown(user.username || user.userId);
  const expected = shown(account?.ebayUsername ?? account?.ebayUserId ?? 'its seller');
  const name = account?.houseName ?? flow.houseName;
  const elsewhere = existing ? ` ${signedInAs} is already connected here as ${existing.houseName}.` : '';
  return {
    message:
      `You signed in at eBay as ${signedInAs}, but ${name} (${flow.environment}) is eBay user ${expected}. ` +
      `Nothing was stored: ${name} is unchanged and ${signedInAs}'s grant was discarded.${elsewhere} ` +
      `Reconnect again and sign in as ${expected}.`,
    wrongSeller: { accountId: flow.accountId, signedInAs, existingAccountId: existing?.id ?? null },
  };
}
