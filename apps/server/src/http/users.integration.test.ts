import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { queryRows } from '../db/client.ts';
import { anyRow } from '../db/rows.ts';
import { describeEachDb } from '../test/db.ts';
import { buildUser } from '../test/factories.ts';
import {
  type Client,
  clientFor,
  login,
  PUBLIC_URL,
  sessionCookieOf,
  signedInClient,
  useHarness,
} from '../test/harness.ts';

/** Issue 16: Admin → Users. Users added and managed by the org's admins, the org never without one. */
describeEachDb('users managed by admins', (getDb) => {
  const h = useHarness(getDb);
  let admin: Client;
  const answers: string[] = [];
  beforeAll(async () => {
    admin = await signedInClient(h());
  });

  const post = async (client: Client, url: string, body: unknown = {}) => {
    const res = await client.post(url, body);
    answers.push(res.body);
    return res;
  };
  const publicPost = (url: string, body: unknown) =>
    h().app.inject({
      method: 'POST',
      url,
      headers: { origin: PUBLIC_URL, 'content-type': 'application/json' },
      payload: JSON.stringify(body),
    });
  const signIn = async (email: string, password: string) => {
    const res = await login(h().app, email, password);
    return res.statusCode === 200
      ? clientFor(h().app, sessionCookieOf(res), { userId: '', email, password, role: 'viewer' }, admin.orgId)
      : null;
  };

  it('adds a viewer with a one-time password, who must choose a new one before anything else', async () => {
    const created = await post(admin, '/api/admin/users', {
      email: 'New.Viewer@Example.test',
      role: 'viewer',
      credential: 'one_time_password',
    });
    expect(created.statusCode).toBe(200);
    const body = created.json();
    expect(body.user).toMatchObject({
      email: 'new.viewer@example.test',
      role: 'viewer',
      password_change_required: true,
    });
    expect(body.link).toBeNull();
    expect(body.one_time_password).toMatch(/^[A-Za-z0-9_-]{24}$/);

    const viewer = (await signIn('new.viewer@example.test', body.one_time_password))!;
    expect((await viewer.get('/api/auth/me')).json().password_change_required).toBe(true);
    const blocked = await viewer.get('/api/admin/ebay/accounts');
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().error.code).toBe('password_change_required');
    const weak = await post(viewer, '/api/auth/password', {
      current_password: body.one_time_password,
      new_password: 'short',
    });
    expect(weak.statusCode).toBe(400);
    const common = await post(viewer, '/api/auth/password', {
      current_password: body.one_time_password,
      new_password: 'QwertyUiop123', // "qwertyuiop123", in any case
    });
    expect(common.statusCode).toBe(400);
    expect(common.json().error).toEqual({
      code: 'common_password',
      message:
        'password is one of the most common passwords (the first ones an attacker tries); choose another',
    });
    const wrong = await post(viewer, '/api/auth/password', {
      current_password: 'nope',
      new_password: 'a-good-long-password',
    });
    expect(wrong.json().error.code).toBe('wrong_password');
    const changed = await post(viewer, '/api/auth/password', {
      current_password: body.one_time_password,
      new_password: 'a-good-long-password',
    });
    expect(changed.statusCode).toBe(200);
    expect(changed.json().password_change_required).toBeUndefined();
    expect((await viewer.get('/api/admin/ebay/accounts')).statusCode).toBe(200);
    // A viewer can do none of this.
    expect(
      (await post(viewer, '/api/admin/users', { email: 'x@example.test', role: 'admin', credential: 'link' }))
        .statusCode,
    ).toBe(403);
    expect((await viewer.get('/api/admin/users')).statusCode).toBe(403);
    // The one-time password is spent.
    expect(await signIn('new.viewer@example.test', body.one_time_password)).toBeNull();
  });

  it('adds an admin with an invite link that works once, and stores only its hash', async () => {
    const body = (
      await post(admin, '/api/admin/users', {
        email: 'invited@example.test',
        role: 'admin',
        credential: 'link',
      })
    ).json();
    expect(body.one_time_password).toBeNull();
    expect(body.user.pending_link).toMatchObject({ purpose: 'invite' });
    const url = new URL(body.link.url);
    expect(`${url.origin}${url.pathname}`).toBe(`${PUBLIC_URL}/set-password`);
    const token = url.hash.slice(1);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const stored = await queryRows(h().ctx.db, sql`select * from password_links`, anyRow);
    expect(JSON.stringify(stored)).not.toContain(token);

    const info = await publicPost('/api/auth/password-link/info', { token });
    expect(info.json()).toMatchObject({
      email: 'invited@example.test',
      purpose: 'invite',
      org_name: expect.any(String),
    });
    const common = await publicPost('/api/auth/password-link', { token, password: '1q2w3e4r5t6y' });
    expect(common.statusCode).toBe(400);
    expect(common.json().error.code).toBe('common_password');
    // The refused password left the link usable.
    const used = await publicPost('/api/auth/password-link', { token, password: 'invited-admin-password' });
    expect(used.statusCode).toBe(200);
    expect(used.json().user).toMatchObject({ email: 'invited@example.test', role: 'admin' });
    const session = clientFor(
      h().app,
      sessionCookieOf(used),
      { userId: '', email: '', password: '', role: 'admin' },
      admin.orgId,
    );
    expect((await session.get('/api/admin/users')).statusCode).toBe(200);
    const again = await publicPost('/api/auth/password-link', { token, password: 'another-long-password' });
    expect(again.statusCode).toBe(404);
    expect(again.json().error.code).toBe('invalid_link');
    expect(await signIn('invited@example.test', 'invited-admin-password')).not.toBeNull();
  });

  it('an expired link says so, and a reset ends the old password and every session', async () => {
    const user = await buildUser(h().ctx.db, { orgId: admin.orgId, role: 'viewer' });
    const before = (await signIn(user.email, user.password))!;
    const reset = (
      await post(admin, `/api/admin/users/${user.userId}/reset-password`, { credential: 'link' })
    ).json();
    expect((await before.get('/api/auth/me')).statusCode).toBe(401);
    expect(await signIn(user.email, user.password)).toBeNull();
    const token = new URL(reset.link.url).hash.slice(1);
    h().ctx.clock.advance(25 * 3600 * 1000);
    try {
      const late = await publicPost('/api/auth/password-link', { token, password: 'too-late-password' });
      expect(late.statusCode).toBe(410);
      expect(late.json().error).toMatchObject({
        code: 'link_expired',
        message: expect.stringMatching(/ask an admin/),
      });
    } finally {
      h().ctx.clock.real();
    }
  });

  it('disabling a user ends their sessions at once and keeps them out', async () => {
    const user = await buildUser(h().ctx.db, { orgId: admin.orgId, role: 'viewer' });
    const session = (await signIn(user.email, user.password))!;
    expect((await session.get('/api/auth/me')).statusCode).toBe(200);
    const disabled = await post(admin, `/api/admin/users/${user.userId}/disable`);
    expect(disabled.json().user.disabled_at).not.toBeNull();
    expect((await session.get('/api/auth/me')).statusCode).toBe(401);
    expect(await signIn(user.email, user.password)).toBeNull();
    await post(admin, `/api/admin/users/${user.userId}/enable`);
    expect(await signIn(user.email, user.password)).not.toBeNull();
  });

  it('a disabled user fails findSessionUser even if a session row survived', async () => {
    const user = await buildUser(h().ctx.db, { orgId: admin.orgId, role: 'viewer' });
    const session = (await signIn(user.email, user.password))!;
    await h().ctx.db.execute(sql`update users set disabled_at = now() where id = ${user.userId}`);
    expect((await session.get('/api/auth/me')).statusCode).toBe(401);
  });

  it('the last active admin cannot be demoted, disabled or removed; nor can an admin do it to themselves', async () => {
    const org = await signedInClient(h());
    for (const [url, body] of [
      [`/api/admin/users/${org.user.userId}/role`, { role: 'viewer' }],
      [`/api/admin/users/${org.user.userId}/disable`, {}],
      [`/api/admin/users/${org.user.userId}/remove`, {}],
    ] as const) {
      const res = await post(org, url, body);
      expect(res.statusCode).toBe(409);
      expect(res.json().error.code).toBe('cannot_change_self');
    }
    // With a second admin, one may demote or disable the other; the org keeps its active admin.
    const second = await buildUser(h().ctx.db, { orgId: org.orgId, role: 'admin' });
    const other = (await signIn(second.email, second.password))!;
    expect((await post(org, `/api/admin/users/${second.userId}/disable`)).statusCode).toBe(200);
    expect((await other.get('/api/auth/me')).statusCode).toBe(401);
    await post(org, `/api/admin/users/${second.userId}/enable`);
    expect((await post(org, `/api/admin/users/${second.userId}/role`, { role: 'viewer' })).statusCode).toBe(
      200,
    );
    // Now the org has one admin, and nobody left who could demote, disable or remove them.
    const demoted = (await signIn(second.email, second.password))!;
    expect(
      (await post(demoted, `/api/admin/users/${org.user.userId}/role`, { role: 'viewer' })).statusCode,
    ).toBe(403);
  });

  it('two admins demoting each other at once leave one admin', async () => {
    const first = await signedInClient(h());
    const secondUser = await buildUser(h().ctx.db, { orgId: first.orgId, role: 'admin' });
    const second = (await signIn(secondUser.email, secondUser.password))!;
    const results = await Promise.all([
      post(first, `/api/admin/users/${secondUser.userId}/role`, { role: 'viewer' }),
      post(second, `/api/admin/users/${first.user.userId}/role`, { role: 'viewer' }),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 403]);
    const admins = await queryRows(
      h().ctx.db,
      sql`select id from users where org_id = ${first.orgId} and role = 'admin'`,
      z.object({ id: z.string() }),
    );
    expect(admins).toHaveLength(1);
  });

  it('another org’s user ids answer 404, and its users are not listed', async () => {
    const stranger = await signedInClient(h());
    const listed = (await admin.get('/api/admin/users')).json().users.map((u: { id: string }) => u.id);
    expect(listed).not.toContain(stranger.user.userId);
    for (const [url, body] of [
      [`/api/admin/users/${stranger.user.userId}/role`, { role: 'viewer' }],
      [`/api/admin/users/${stranger.user.userId}/disable`, {}],
      [`/api/admin/users/${stranger.user.userId}/reset-password`, { credential: 'link' }],
      [`/api/admin/users/${stranger.user.userId}/remove`, {}],
    ] as const) {
      expect((await post(admin, url, body)).statusCode).toBe(404);
    }
    expect((await stranger.get('/api/auth/me')).statusCode).toBe(200);
  });

  it('an email already taken is a 409, not a second user', async () => {
    const res = await post(admin, '/api/admin/users', {
      email: admin.user.email,
      role: 'viewer',
      credential: 'link',
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('email_taken');
  });

  afterAll(() => {
    // Passwords and link tokens appear in the creating answer only, never elsewhere; no hash is ever answered.
    for (const text of answers) expect(text).not.toMatch(/\$argon2id\$/);
  });
});
