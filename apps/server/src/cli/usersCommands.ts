import { roleSchema } from '@ebay-connector/contracts';
import { z } from 'zod';
import { generatePassword } from '../auth/passwords.ts';
import { createUser, findOrCreateOrg } from '../auth/users.ts';
import { type CliCommand, CliUsageError, requireString } from './registry.ts';

export const usersCreate: CliCommand = {
  group: 'users',
  name: 'create',
  summary:
    'Creates a user (and the org when it does not exist). Without --password one is generated and printed once.',
  usage: '--org NAME --email E --role admin|viewer [--password P]',
  options: {
    org: { type: 'string' },
    email: { type: 'string' },
    role: { type: 'string' },
    password: { type: 'string' },
  },
  async run(values, ctx) {
    const orgName = requireString(values, 'org');
    const email = requireString(values, 'email');
    if (!z.email().safeParse(email).success)
      throw new CliUsageError(`--email: "${email}" is not an email address`);
    const role = roleSchema.safeParse(requireString(values, 'role'));
    if (!role.success) throw new CliUsageError('--role must be admin or viewer');
    const given = typeof values.password === 'string' ? values.password : undefined;
    if (given !== undefined && given.length < 8)
      throw new CliUsageError('--password must be at least 8 characters');
    const password = given ?? generatePassword();

    const { db } = await ctx.database();
    const org = await findOrCreateOrg(db, orgName);
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
