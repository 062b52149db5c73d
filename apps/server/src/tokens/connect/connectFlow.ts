import { createHash, randomBytes } from 'node:crypto';
import type { Environment } from '@ebay-connector/contracts';
import { and, eq, lt } from 'drizzle-orm';
import type { AppContext } from '../../context.ts';
import { oauthStates } from '../../db/schema.ts';
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
 */

export const STATE_TTL_MS = 10 * 60 * 1000;

export interface ConnectStart {
  orgId: string;
  userId: string;
  sessionId: string;
  environment: Environment;
  houseName: string;
}

const hashState = (state: string) => createHash('sha256').update(state).digest('hex');

export async function startConnect(
  ctx: AppContext,
  input: ConnectStart,
): Promise<{ ok: true; authorizeUrl: string } | EnvironmentRefusal> {
  const refusal = refuseUnconfiguredEnvironment(ctx.ebay, input.environment);
  if (refusal) return refusal;
  const now = ctx.now();
  const state = randomBytes(32).toString('base64url');
  await ctx.db.delete(oauthStates).where(lt(oauthStates.expiresAt, now));
  await ctx.db.insert(oauthStates).values({
    id: hashState(state),
    orgId: input.orgId,
    userId: input.userId,
    sessionId: input.sessionId,
    environment: input.environment,
    houseName: input.houseName,
    expiresAt: new Date(now.getTime() + STATE_TTL_MS),
  });
  const authorizeUrl = buildAuthorizeUrl({
    authorizeUrl: ebayEndpoints(input.environment, ctx.ebay.overrides).authorizeUrl,
    clientId: ctx.ebay.clientId,
    ruName: ctx.ebay.ruName,
    scopes: ctx.ebay.scopes,
    state,
    // Always the eBay sign-in form: an admin connecting a second seller must not silently get the first.
    prompt: 'login',
  });
  await writeConnectLog(ctx.db, {
    orgId: input.orgId,
    accountId: null,
    environment: input.environment,
    action: 'connect_started',
    source: 'connect',
    request: {
      method: 'GET',
      url: maskUrl(authorizeUrl).replace(`state=${state}`, `state=${maskToken(state)}`),
      headers: {},
      body: '',
    },
    summary: { house_name: input.houseName },
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
  const flow = { orgId: pending.orgId, environment: pending.environment, houseName: pending.houseName };
  const fail = async (code: string, message: string): Promise<ConnectOutcome> => {
    await writeConnectLog(ctx.db, {
      ...flow,
      accountId: null,
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
