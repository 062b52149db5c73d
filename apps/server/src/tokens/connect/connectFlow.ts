import { createHash, randomBytes } from 'node:crypto';
import type { Environment } from '@ebay-connector/contracts';
import { and, eq, lt } from 'drizzle-orm';
import type { AppContext } from '../../context.ts';
import { ebayAccounts, oauthStates } from '../../db/schema.ts';
import { ebayEndpoints } from '../../ebay/endpoints.ts';
import { buildAuthorizeUrl } from '../../ebay/oauthClient.ts';
import { writeConnectLog } from '../../logs/connectLog.ts';
import { maskToken, maskUrl } from '../../logs/mask.ts';
import { type EnvironmentRefusal, refuseUnconfiguredEnvironment } from './connectEnvironment.ts';
import { exchangeCodeAndStore } from './connectExchange.ts';
import type { ConnectOutcome } from './connectOutcome.ts';

/**
 * The connect flow (authorization-code grant). Start stores a single-use `state` (only its
 * hash) bound to the admin's session and org for ten minutes and returns eBay's consent
 * URL. The callback consumes the state exactly once, then exchanges the code, asks eBay
 * who the seller is and stores the grant (connectExchange.ts). Every outcome is a value
 * (connectOutcome.ts): the route turns it into a redirect, never a 500.
 *
 * A reconnect names its account: the state remembers it, and the callback only ever writes
 * that account, and only if the seller signed in as that account's eBay user.
 */

export const STATE_TTL_MS = 10 * 60 * 1000;

export type ConnectStart = {
  orgId: string;
  userId: string;
  sessionId: string;
} & (
  | { ebayAccountId?: undefined; environment: Environment; houseName: string }
  | { ebayAccountId: string; environment?: Environment | undefined }
);

export type StartRefusal =
  | EnvironmentRefusal
  | { ok: false; code: 'not_found' | 'account_removed' | 'invalid_request'; message: string };

interface StartTarget {
  environment: Environment;
  houseName: string;
  accountId: string | null;
  expectedUser: string | null;
}

/** A reconnect's account, which must be the org's and not removed; or the new connection's scope. */
async function startTarget(ctx: AppContext, input: ConnectStart): Promise<StartTarget | StartRefusal> {
  if (input.ebayAccountId === undefined) {
    return {
      environment: input.environment,
      houseName: input.houseName,
      accountId: null,
      expectedUser: null,
    };
  }
  const [account] = await ctx.db
    .select()
    .from(ebayAccounts)
    .where(and(eq(ebayAccounts.id, input.ebayAccountId), eq(ebayAccounts.orgId, input.orgId)))
    .limit(1);
  if (!account) return { ok: false, code: 'not_found', message: 'eBay account not found' };
  if (account.status === 'removed' || account.status === 'deleted') {
    return {
      ok: false,
      code: 'account_removed',
      message:
        account.status === 'deleted'
          ? "the account was deleted at eBay's request; connect the seller as a new account instead"
          : 'the account was removed; connect the seller as a new account instead',
    };
  }
  if (input.environment && input.environment !== account.environment) {
    return {
      ok: false,
      code: 'invalid_request',
      message: `environment: the account is ${account.environment}, not ${input.environment}`,
    };
  }
  return {
    environment: account.environment,
    houseName: account.houseName,
    accountId: account.id,
    expectedUser: account.ebayUsername ?? account.ebayUserId,
  };
}

const hashState = (state: string) => createHash('sha256').update(state).digest('hex');

export async function startConnect(
  ctx: AppContext,
  input: ConnectStart,
): Promise<{ ok: true; authorizeUrl: string } | StartRefusal> {
  const target = await startTarget(ctx, input);
  if ('ok' in target) return target;
  const refusal = refuseUnconfiguredEnvironment(ctx.ebay, target.environment);
  if (refusal) return refusal;
  const now = ctx.now();
  const state = randomBytes(32).toString('base64url');
  await ctx.db.delete(oauthStates).where(lt(oauthStates.expiresAt, now));
  await ctx.db.insert(oauthStates).values({
    id: hashState(state),
    orgId: input.orgId,
    userId: input.userId,
    sessionId: input.sessionId,
    environment: target.environment,
    houseName: target.houseName,
    ebayAccountId: target.accountId,
    expiresAt: new Date(now.getTime() + STATE_TTL_MS),
  });
  const authorizeUrl = buildAuthorizeUrl({
    authorizeUrl: ebayEndpoints(target.environment, ctx.ebay.overrides).authorizeUrl,
    clientId: ctx.ebay.clientId,
    ruName: ctx.ebay.ruName,
    scopes: ctx.ebay.scopes,
    state,
    // Always the eBay sign-in form: an admin connecting a second seller must not silently get the
    // first, and a reconnect must be signed by the account's own seller, not whoever is signed in.
    prompt: 'login',
  });
  await writeConnectLog(ctx.db, {
    orgId: input.orgId,
    accountId: target.accountId,
    environment: target.environment,
    action: 'connect_started',
    source: 'connect',
    request: {
      method: 'GET',
      url: maskUrl(authorizeUrl).replace(`state=${state}`, `state=${maskToken(state)}`),
      headers: {},
      body: '',
    },
    summary: {
      house_name: target.houseName,
      ...(target.expectedUser ? { reconnect_as: target.expectedUser } : {}),
    },
  });
  return { ok: true, authorizeUrl };
}

export interface CallbackInput {
  /** Already URL-decoded once by the query parser; never decoded again. */
  code?: string | undefined;
  state?: string | undefined;
  error?: string | undefined;
  error_description?: string | undefined;
}

const INVALID_STATE =
  'this connection attempt is unknown, was used already, or belongs to another session; start it again';

/** The callback: consume the state, then exchange and store. `sessionId` is the caller's session, if any. */
export async function completeConnect(
  ctx: AppContext,
  input: CallbackInput,
  sessionId: string | null,
): Promise<ConnectOutcome> {
  if (!input.state || !sessionId) return { ok: false, code: 'invalid_state', message: INVALID_STATE };
  // Deleting is the consumption: a replay, a second tab or another session finds nothing.
  const [pending] = await ctx.db
    .delete(oauthStates)
    .where(and(eq(oauthStates.id, hashState(input.state)), eq(oauthStates.sessionId, sessionId)))
    .returning();
  if (!pending) return { ok: false, code: 'invalid_state', message: INVALID_STATE };
  const flow = {
    orgId: pending.orgId,
    environment: pending.environment,
    houseName: pending.houseName,
    accountId: pending.ebayAccountId,
  };
  const fail = async (code: string, message: string): Promise<ConnectOutcome> => {
    await writeConnectLog(ctx.db, {
      ...flow,
      action: 'connect_failed',
      source: 'connect',
      error: { code, message },
    });
    return { ok: false, code, message };
  };
  if (pending.expiresAt <= ctx.now()) {
    return fail('state_expired', 'the connection took longer than 10 minutes; start it again');
  }
  if (input.error) {
    const code = /^[a-z_]{1,64}$/.test(input.error) ? input.error : 'ebay_error';
    const declined = code === 'access_denied';
    return fail(code, declined ? 'the seller declined to grant access' : (input.error_description ?? code));
  }
  if (!input.code) return fail('invalid_request', 'eBay sent neither a code nor an error');
  return exchangeCodeAndStore(ctx, flow, input.code);
}
