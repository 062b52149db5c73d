import { type EbaySim, startEbaySim } from './server.ts';
import { refresh, TEST_SCOPES } from './test/httpClient.ts';
import { manualClock } from './test/manualClock.ts';

const clock = manualClock();
let sim: EbaySim;

beforeAll(async () => {
  sim = await startEbaySim({ now: clock.now });
});
afterAll(() => sim.close());

function getUser(authorization?: string) {
  return fetch(`${sim.url}/commerce/identity/v1/user/`, authorization ? { headers: { authorization } } : {});
}

async function expectApiError(res: Response, status: number, errorId: number) {
  expect(res.status).toBe(status);
  const body = (await res.json()) as { errors: Array<Record<string, unknown>> };
  expect(body.errors[0]).toMatchObject({ errorId, category: 'REQUEST' });
}

describe('GET /commerce/identity/v1/user/', () => {
  it('returns the seller behind a valid token', async () => {
    const grant = sim.control.issueGrant({ username: 'ident_seller' });
    const callsBefore = sim.control.counters().identityCalls;
    const res = await getUser(`Bearer ${grant.access_token}`);
    expect(res.status).toBe(200);
    expect(sim.control.counters().identityCalls).toBe(callsBefore + 1);
    expect(await res.json()).toEqual({
      userId: grant.user_id,
      username: 'ident_seller',
      accountType: 'INDIVIDUAL',
      registrationMarketplaceId: 'EBAY_US',
    });
  });

  it('keeps the userId when the username changes', async () => {
    const grant = sim.control.issueGrant({ username: 'before_rename' });
    sim.control.renameUser(grant.user_id, 'after_rename');
    const body = (await (await getUser(`Bearer ${grant.access_token}`)).json()) as Record<string, string>;
    expect(body).toMatchObject({ userId: grant.user_id, username: 'after_rename' });
  });

  it('answers 401 errorId 1001 for missing, unknown, revoked and expired tokens', async () => {
    await expectApiError(await getUser(), 401, 1001);
    await expectApiError(await getUser('Bearer v^1.1#nope'), 401, 1001);
    const revoked = sim.control.issueGrant();
    sim.control.revokeUser(revoked.user_id);
    await expectApiError(await getUser(`Bearer ${revoked.access_token}`), 401, 1001);
    const expiring = sim.control.issueGrant({ accessExpiresInSeconds: 60 });
    expect((await getUser(`Bearer ${expiring.access_token}`)).status).toBe(200);
    clock.advanceSeconds(61);
    await expectApiError(await getUser(`Bearer ${expiring.access_token}`), 401, 1001);
  });

  it('answers 403 when the token lacks the identity scope', async () => {
    const grant = sim.control.issueGrant({ scopes: TEST_SCOPES });
    const narrowed = await refresh(sim, grant.refresh_token, [TEST_SCOPES[0] as string]);
    await expectApiError(await getUser(`Bearer ${String(narrowed.body.access_token)}`), 403, 1100);
  });
});
