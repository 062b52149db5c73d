import { printable, roleSchema } from '@ebay-connector/contracts';
import { z } from 'zod';
import { COMMON_PASSWORD_MESSAGE, isCommonPassword } from '../auth/passwordPolicy.ts';
import { generatePassword } from '../auth/passwords.ts';
import { createUser, findOrCreateOrg, findOrgByName } from '../auth/users.ts';
import { type CliCommand, CliUsageError, requireString } from './registry.ts';

/** Org names are shown in every page header and CLI table: bounded like other names. */
const ORG_NAME_MAX_LENGTH = 100;

export const usersCreate: CliCommand = {
  group: 'users',
  name: 'create',
  summary:
    'Creates a user in an existing org (a new org only with --create-org). Without --password one is generated and printed once.',
  usage: '--org NAME --email E --role admin|viewer [--password P] [--create-org]',
  options: {
    org: { type: 'string' },
    'create-org': { type: 'boolean' },
    email: { type: 'string' },
    role: { type: 'string' },
    password: { type: 'string' },
  },
  async run(values, ctx) {
    const orgName = requireString(values, 'org');
    const email = requireString(values, 'email');
    // The same bounds as the API's (an org name of at most 100 characters, an email of 254).
    if (orgName.length > ORG_NAME_MAX_LENGTH)
      throw new CliUsageError(`--org: at most ${ORG_NAME_MAX_LENGTH} characters (got ${orgName.length})`);
    if (email.length > 254 || !z.email().safeParse(email).success)
      throw new CliUsageError(`--email: "${printable(email.slice(0, 80))}" is not an email address`);
    if (values.password !== undefined && String(values.password).length > 1024)
      throw new CliUsageError('--password must be at most 1024 characters');
    const role = roleSchema.safeParse(requireString(values, 'role'));
    if (!role.success) throw new CliUsageError('--role must be admin or viewer');
    const given = typeof values.password === 'string' ? values.password : undefined;
    if (given !== undefined && given.length < 8)
      throw new CliUsageError('--password must be at least 8 characters');
    if (given !== undefined && isCommonPassword(given))
      throw new CliUsageError(`--password: ${COMMON_PASSWORD_MESSAGE}`);
    const password = given ?? generatePassword();

    const { db } = await ctx.database();
    // A typo ("Demo org" for "Demo Org") must not make a second org: creating one is asked for.
    const found = await findOrgByName(db, orgName);
    if (!found.org && values['create-org'] !== true) {
      const near =
        found.similar.length > 0
          ? ` Did you mean ${found.similar.map((n) => `"${printable(n)}"`).join(', ')}?`
          : '';
      ctx.io.err(`No org named "${printable(orgName)}".${near} To create it, add --create-org.`);
      return 1;
    }
    const org = found.org ? { id: found.org.id, created: false } : await findOrCreateOrg(db, orgName);
    const created = await createUser(db, { orgId: org.id, email, role: role.data, password });
    if (!created.ok) {
      ctx.io.err(created.message);
      return 1;
    }
    ctx.io.out(`${org.created ? 'Created org' : 'Org'} "${orgName}" (${org.id})`);
    ctx.io.out(`Created ${role.data} ${created.email} (${created.userId})`);
    if (given === undefined) ctx.io.out(`Password (shown once): ${password}`);
    return 0;
  },
};
