import type { tokenInfoResponse } from '@ebay-connector/contracts';
import { eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { ebayTokens } from '../../db/schema.ts';
import { writeConnectLog } from '../../logs/connectLog.ts';
import { maskToken } from '../../logs/mask.ts';
import type { OrgAccount } from './accountQuery.ts';

/**
 * "Token info": masked facts about an account's stored tokens, including whether each
 * one decrypts into a sendable eBay token (the seed incident's question, answered without
 * calling eBay). Every view is logged as `token_info_viewed`.
 */

export type TokenInfo = z.infer<typeof tokenInfoResponse>;

interface TokenFacts {
  masked: string;
  key_id: string | null;
  /** `ok`, or the decrypt diagnosis (unknown_key_id, auth_failed, plaintext_legacy…). */
  decrypt: string;
}

function describeStoredToken(ctx: AppContext, stored: string): TokenFacts {
  const result = ctx.cipher.decryptToken(stored);
  if (result.ok) return { masked: maskToken(result.plaintext), key_id: result.keyId, decrypt: 'ok' };
  // Undecryptable: show the stored value's masked prefix, which says what it is (ENC:v1:kid:… or v^…).
  return { masked: maskToken(stored), key_id: result.keyId ?? null, decrypt: result.diagnosis };
}

export async function getTokenInfo(
  ctx: AppContext,
  account: OrgAccount,
  viewer: { userId: string; email: string },
): Promise<TokenInfo | null> {
  const [token] = await ctx.db.select().from(ebayTokens).where(eq(ebayTokens.accountId, account.id)).limit(1);
  if (!token) return null;
  const refresh = describeStoredToken(ctx, token.refreshToken);
  const access = token.accessToken ? describeStoredToken(ctx, token.accessToken) : null;
  await writeConnectLog(ctx.db, {
    orgId: account.orgId,
    accountId: account.id,
    environment: account.environment,
    action: 'token_info_viewed',
    source: 'manual',
    summary: {
      viewed_by: viewer.email,
      refresh_token_decrypt: refresh.decrypt,
      access_token_decrypt: access?.decrypt ?? null,
    },
  });
  return {
    ebay_account_id: account.id,
    environment: account.environment,
    access_token: {
      present: access !== null,
      masked: access?.masked ?? null,
      expires_at: token.accessExpiresAt?.toISOString() ?? null,
      key_id: access?.key_id ?? null,
      decrypt: access?.decrypt ?? 'missing',
    },
    refresh_token: {
      masked: refresh.masked,
      expires_at: token.refreshExpiresAt?.toISOString() ?? null,
      key_id: refresh.key_id,
      decrypt: refresh.decrypt,
    },
    scopes: token.scopes,
    version: token.version,
  };
}
