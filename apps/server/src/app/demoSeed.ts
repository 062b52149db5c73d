import type { Environment } from '@ebay-connector/contracts';
import type { EbaySim } from '@ebay-connector/ebay-sim';
import { sql } from 'drizzle-orm';
import type { AppContext } from '../context.ts';
import type { DecryptDiagnosis } from '../crypto/tokenCipher.ts';
import { storeNewGrant } from '../tokens/connect/storeGrant.ts';
import { makeBrokenValue } from '../tokens/doctor/brokenTokens.ts';

/**
 * Demo accounts for the embedded mode, in the states the seed incident had, so the first
 * login shows something true on every screen: healthy ones, ones about to be refreshed,
 * a revoked grant, and refresh tokens broken the ways the report describes.
 */

interface DemoAccount {
  houseName: string;
  username: string;
  environment?: Environment;
  accessExpiresInSeconds?: number;
  refreshExpiresInSeconds?: number;
  scopes?: string[];
  revoked?: boolean;
  broken?: DecryptDiagnosis;
}

/** Due at the first cycle: within the claim margin (TOKEN_REFRESH_CLAIM_MARGIN_SECONDS, 180 s). */
const SOON = 120;
const DAY = 86_400;

const DEMO_ACCOUNTS: DemoAccount[] = [
  { houseName: 'Main Street Vintage', username: 'mainstreet_vintage' },
  { houseName: 'Harbor Books', username: 'harbor-books' },
  { houseName: 'Northwind Audio', username: 'northwind.audio', accessExpiresInSeconds: 5400 },
  { houseName: 'Copper Kettle Home', username: 'copperkettle_home', accessExpiresInSeconds: 3600 },
  { houseName: 'Sandbox Test House', username: 'testuser_sandbox1', environment: 'sandbox' },
  { houseName: 'Bluebird Cameras', username: 'bluebird_cameras', accessExpiresInSeconds: SOON },
  { houseName: 'Oak & Iron Tools', username: 'oak-iron-tools', accessExpiresInSeconds: -600 },
  { houseName: 'Riverside Records', username: 'riverside_records', refreshExpiresInSeconds: 20 * DAY },
  { houseName: 'Summit Outdoor', username: 'summit_outdoor', accessExpiresInSeconds: SOON, revoked: true },
  {
    houseName: 'Lakeside Antiques',
    username: 'lakeside_antiques',
    accessExpiresInSeconds: SOON,
    broken: 'unknown_key_id',
  },
  {
    houseName: 'Pine Hollow Crafts',
    username: 'pinehollow',
    accessExpiresInSeconds: SOON,
    broken: 'double_encrypted',
  },
  {
    houseName: 'Granite Sports',
    username: 'granite_sports',
    accessExpiresInSeconds: SOON,
    broken: 'plaintext_legacy',
  },
  {
    houseName: 'Maple Street Media',
    username: 'maplestreet_media',
    accessExpiresInSeconds: SOON,
    scopes: [
      'https://api.ebay.com/oauth/api_scope',
      'https://api.ebay.com/oauth/api_scope/commerce.identity.readonly',
    ],
  },
];

export async function seedDemoAccounts(ctx: AppContext, sim: EbaySim, orgId: string): Promise<number> {
  for (const demo of DEMO_ACCOUNTS) {
    const grant = sim.control.issueGrant({
      username: demo.username,
      ...(demo.scopes ? { scopes: demo.scopes } : {}),
      ...(demo.refreshExpiresInSeconds ? { refreshExpiresInSeconds: demo.refreshExpiresInSeconds } : {}),
    });
    const { accountId } = await storeNewGrant(ctx, {
      orgId,
      environment: demo.environment ?? 'production',
      houseName: demo.houseName,
      ebayUserId: grant.user_id,
      ebayUsername: grant.username,
      accessToken: grant.access_token,
      accessExpiresIn: demo.accessExpiresInSeconds ?? grant.expires_in,
      refreshToken: grant.refresh_token,
      refreshExpiresIn: grant.refresh_token_expires_in,
      scopes: demo.scopes ?? ctx.ebay.scopes,
    });
    if (demo.revoked) sim.control.revokeUser(grant.user_id);
    if (demo.broken) {
      const broken = makeBrokenValue(ctx.cipher, grant.refresh_token, demo.broken);
      await ctx.db.execute(
        sql`update ebay_tokens set refresh_token = ${broken} where account_id = ${accountId}`,
      );
    }
  }
  return DEMO_ACCOUNTS.length;
}
