import { type ApiKeyScope, apiKeyNameSchema, apiKeyScopesSchema, printable } from '@ebay-connector/contracts';
import { z } from 'zod';
import { createApiKey, listApiKeys, revokeApiKey } from '../auth/apiKeys.ts';
import { findOrgByName } from '../auth/users.ts';
import { type CliCommand, CliUsageError, requireString } from './registry.ts';

/** `api-keys create|list|revoke`: the org's API keys of services (issue 11); a key is printed once. */

// Org and key names are stored strings set by admins: printed with control characters escaped.
const orgNotFound = (name: string, similar: string[]) =>
  `No org named "${printable(name)}".${similar.length > 0 ? ` Did you mean ${similar.map((n) => `"${printable(n)}"`).join(', ')}?` : ''}`;

export const apiKeysCreate: CliCommand = {
  group: 'api-keys',
  name: 'create',
  summary: 'Creates an API key for the service API (/api/v1) of an org; the key is printed once.',
  usage: '--org NAME --name NAME [--scopes tokens,proxy] (default scope: tokens)',
  options: { org: { type: 'string' }, name: { type: 'string' }, scopes: { type: 'string' } },
  async run(values, ctx) {
    const orgName = requireString(values, 'org');
    const name = apiKeyNameSchema.safeParse(requireString(values, 'name'));
    if (!name.success) throw new CliUsageError(`--name: ${name.error.issues[0]?.message}`);
    const given = typeof values.scopes === 'string' ? values.scopes : 'tokens';
    const scopes = apiKeyScopesSchema.safeParse(
      given
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    );
    if (!scopes.success) throw new CliUsageError('--scopes must be tokens, proxy or tokens,proxy');
    const { db } = await ctx.database();
    const found = await findOrgByName(db, orgName);
    if (!found.org) {
      ctx.io.err(orgNotFound(orgName, found.similar));
      return 1;
    }
    const created = await createApiKey(db, {
      orgId: found.org.id,
      name: name.data,
      scopes: scopes.data as ApiKeyScope[],
      createdBy: null,
    });
    ctx.io.out(
      `Created API key "${printable(created.name)}" (${created.id}) for org "${printable(orgName)}", scopes ${created.scopes.join(',')}`,
    );
    ctx.io.out(`Key (shown once; only its hash is stored): ${created.key}`);
    return 0;
  },
};

export const apiKeysList: CliCommand = {
  group: 'api-keys',
  name: 'list',
  summary:
    'Lists API keys (of one org with --org): id, name, scopes, created, last used, revoked. Never the keys.',
  usage: '[--org NAME] [--json]',
  options: { org: { type: 'string' }, json: { type: 'boolean' } },
  async run(values, ctx) {
    const { db } = await ctx.database();
    let orgId: string | undefined;
    if (typeof values.org === 'string') {
      const found = await findOrgByName(db, values.org.trim());
      if (!found.org) {
        ctx.io.err(orgNotFound(values.org.trim(), found.similar));
        return 1;
      }
      orgId = found.org.id;
    }
    const keys = await listApiKeys(db, orgId);
    if (values.json === true) {
      ctx.io.out(
        JSON.stringify(
          keys.map((k) => ({
            id: k.id,
            org: k.orgName,
            name: k.name,
            scopes: k.scopes,
            key_prefix: `ebc_${k.keyPrefix}…`,
            created_at: k.createdAt.toISOString(),
            last_used_at: k.lastUsedAt?.toISOString() ?? null,
            revoked_at: k.revokedAt?.toISOString() ?? null,
          })),
          null,
          2,
        ),
      );
      return 0;
    }
    if (keys.length === 0) {
      ctx.io.out('No API keys.');
      return 0;
    }
    for (const k of keys) {
      const state = k.revokedAt ? `revoked ${k.revokedAt.toISOString()}` : 'active';
      ctx.io.out(
        [
          k.id,
          printable(k.orgName),
          printable(k.name),
          `ebc_${k.keyPrefix}…`,
          k.scopes.join(','),
          `created ${k.createdAt.toISOString()}`,
          `last used ${k.lastUsedAt?.toISOString() ?? 'never'}`,
          state,
        ].join('  '),
      );
    }
    return 0;
  },
};

export const apiKeysRevoke: CliCommand = {
  group: 'api-keys',
  name: 'revoke',
  summary: 'Revokes an API key by id: it answers 401 at once, on every replica.',
  usage: 'ID',
  options: {},
  positionals: ['id'],
  async run(values, ctx) {
    const id = requireString(values, 'id');
    if (!z.uuid().safeParse(id).success)
      throw new CliUsageError(`"${printable(id)}" is not an API key id (a UUID; see api-keys list)`);
    const { db } = await ctx.database();
    const revoked = await revokeApiKey(db, id, new Date());
    if (!revoked) {
      ctx.io.err(`No API key with id ${id}.`);
      return 1;
    }
    ctx.io.out(
      `Revoked API key "${printable(revoked.name)}" (${revoked.id}) at ${revoked.revokedAt!.toISOString()}`,
    );
    return 0;
  },
};
