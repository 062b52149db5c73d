import { existsSync } from 'node:fs';
import path from 'node:path';
import { printable } from '@ebay-connector/contracts';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { z } from 'zod';
import { loadKeyRing } from '../app/keyRing.ts';
import { scopesOf } from '../config/env.ts';
import { createTokenCipher } from '../crypto/tokenCipher.ts';
import { queryRows } from '../db/client.ts';
import { type DoctorContext, diagnoseTokens } from '../tokens/doctor/doctor.ts';
import { repairTokens } from '../tokens/doctor/repairTokens.ts';
import { formatDoctorReport, formatRepairReport } from './doctorPresent.ts';
import { createProgressReporter } from './progressBar.ts';
import { type CliCommand, type CliContext, CliUsageError, type CliValues } from './registry.ts';

/**
 * `tokens doctor` and `tokens repair`: the token doctor from the command line, against the
 * configured database and key ring (TOKEN_ENCRYPTION_KEYS). No eBay call is made. In
 * embedded mode stop the server first (PGlite allows one process per data directory).
 */

async function openDoctor(ctx: CliContext): Promise<DoctorContext> {
  const env = ctx.env();
  // Never generate a key here (loadKeyRing would, in embedded mode): against a fresh key every
  // stored token reads as unknown_key_id, and a repair would send every seller to reconnect.
  if (!env.TOKEN_ENCRYPTION_KEYS && !existsSync(path.resolve(env.DATA_DIR, 'token-encryption-keys'))) {
    throw new CliUsageError(
      `no key ring: set TOKEN_ENCRYPTION_KEYS (or DATA_DIR to the directory holding token-encryption-keys)`,
    );
  }
  const { ring } = loadKeyRing(env);
  const { db } = await ctx.database();
  return {
    db,
    env,
    cipher: createTokenCipher(ring),
    ebay: { scopes: scopesOf(env) },
    now: () => new Date(),
    // stdout carries the report; warnings (skipped rows) go to stderr.
    logger: pino({ level: 'warn' }, pino.destination(2)),
  };
}

/** The org named by --org, or undefined for every org; null when no such org exists. */
async function orgIdOf(
  doctor: DoctorContext,
  values: CliValues,
  ctx: CliContext,
): Promise<string | undefined | null> {
  if (typeof values.org !== 'string') return undefined;
  const [org] = await queryRows(
    doctor.db,
    sql`select id from orgs where name = ${values.org}`,
    z.object({ id: z.string() }),
  );
  if (!org) ctx.io.err(`No org named "${printable(String(values.org))}".`);
  return org ? org.id : null;
}

export const tokensDoctor: CliCommand = {
  group: 'tokens',
  name: 'doctor',
  summary:
    'Diagnoses every stored token (decrypt, key, expiry, scopes, reconnect) and names the repair; changes nothing.',
  usage: '[--org NAME] [--json]',
  options: { org: { type: 'string' }, json: { type: 'boolean' } },
  async run(values, ctx) {
    const doctor = await openDoctor(ctx);
    const orgId = await orgIdOf(doctor, values, ctx);
    if (orgId === null) return 1;
    const progress = createProgressReporter(ctx.io);
    const report = await diagnoseTokens(doctor, { orgId, onProgress: progress.update });
    progress.finish();
    if (values.json) ctx.io.out(JSON.stringify(report, null, 2));
    else for (const line of formatDoctorReport(report)) ctx.io.out(line);
    return 0;
  },
};

export const tokensRepair: CliCommand = {
  group: 'tokens',
  name: 'repair',
  summary:
    'Re-encrypts under the current key, unwraps double encryption, encrypts legacy plaintext, marks the rest needs_reconnect; leaves tokens of a missing key alone unless --mark-unknown-key. Dry run unless --apply.',
  usage: '[--org NAME] [--apply] [--mark-unknown-key] [--json]',
  options: {
    org: { type: 'string' },
    apply: { type: 'boolean' },
    'mark-unknown-key': { type: 'boolean' },
    json: { type: 'boolean' },
  },
  async run(values, ctx) {
    const doctor = await openDoctor(ctx);
    const orgId = await orgIdOf(doctor, values, ctx);
    if (orgId === null) return 1;
    const progress = createProgressReporter(ctx.io);
    const report = await repairTokens(doctor, {
      orgId,
      apply: values.apply === true,
      unknownKey: values['mark-unknown-key'] === true ? 'mark_needs_reconnect' : 'leave',
      by: 'cli',
      onProgress: progress.update,
    });
    progress.finish();
    if (values.json) ctx.io.out(JSON.stringify(report, null, 2));
    else for (const line of formatRepairReport(report)) ctx.io.out(line);
    return 0;
  },
};
