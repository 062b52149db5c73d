import { z } from 'zod';
import { accountStatusSchema, decryptDiagnosisSchema, environmentSchema, idSchema } from './common.ts';
import { defineEndpoint } from './endpoint.ts';

/**
 * The token doctor: why each account's stored tokens do or do not work, and the repair
 * that applies (the `tokenDoctor` and `tokenRepair` endpoints below, and
 * `npm run cli -- tokens doctor|repair`).
 */

/** A stored token: `ok`, absent (access tokens only), or the exact decrypt diagnosis. */
export const tokenFieldStateSchema = z.enum(['ok', 'missing', ...decryptDiagnosisSchema.options]);

/** Why an account is listed. `old_key`: decrypts, but under a key other than the current one. */
export const doctorCauseSchema = z.enum([
  'old_key',
  ...decryptDiagnosisSchema.options,
  'refresh_token_expired',
  'refresh_token_expiring',
  'missing_scopes',
  'needs_reconnect',
]);
export type DoctorCause = z.infer<typeof doctorCauseSchema>;

/**
 * What the repair does about a problem. The first four write tokens (each written value is
 * checked to decrypt back to a valid eBay token); `mark_needs_reconnect` changes the account
 * status; `seller_reconnect` is what only the seller can do (the Reconnect flow);
 * `add_key_back` is what only the operator can do: put the missing key back in the key ring
 * (`key_ring` says where it lives). The repair leaves those tokens alone unless asked to give
 * up on the key (`unknown_key: "mark_needs_reconnect"`).
 */
export const repairActionSchema = z.enum([
  're_encrypt',
  'unwrap',
  'encrypt_plaintext',
  'discard_access_token',
  'mark_needs_reconnect',
  'seller_reconnect',
  'add_key_back',
]);
export type RepairAction = z.infer<typeof repairActionSchema>;

export const doctorProblemSchema = z.object({
  cause: doctorCauseSchema,
  /** Which stored token the problem is about; null for account-level problems. */
  token: z.enum(['access', 'refresh']).nullable(),
  severity: z.enum(['error', 'warning']),
  message: z.string(),
  repair: repairActionSchema,
});
export type DoctorProblem = z.infer<typeof doctorProblemSchema>;

const tokenFieldSchema = z.object({ state: tokenFieldStateSchema, key_id: z.string().nullable() });

export const doctorAccountSchema = z.object({
  ebay_account_id: z.string(),
  house_name: z.string(),
  environment: environmentSchema,
  ebay_username: z.string().nullable(),
  status: accountStatusSchema,
  status_reason: z.string().nullable(),
  access_token: tokenFieldSchema,
  refresh_token: tokenFieldSchema,
  refresh_token_expires_at: z.string().nullable(),
  missing_scopes: z.array(z.string()),
  problems: z.array(doctorProblemSchema),
});
export type DoctorAccount = z.infer<typeof doctorAccountSchema>;

export const tokenDoctorQuery = z.object({
  env: environmentSchema.optional(),
  /** How many accounts with problems to list (the counts always cover every account). */
  limit: z.coerce
    .number<number>({ message: 'limit must be a number' })
    .int('limit must be an integer')
    .min(1, 'limit must be between 1 and 5000')
    .max(5000, 'limit must be between 1 and 5000')
    .default(1000),
});
/**
 * Where this deployment's key ring is read from: `TOKEN_ENCRYPTION_KEYS` (production), or the key
 * file in DATA_DIR (embedded mode, generated on the first start). A missing key goes back there.
 */
export const keyRingSourceSchema = z.object({
  source: z.enum(['env', 'file']),
  /** The variable's name or the file's path. */
  location: z.string(),
});
export type KeyRingSource = z.infer<typeof keyRingSourceSchema>;

export const tokenDoctorResponse = z.object({
  checked_at: z.string(),
  current_key_id: z.string(),
  key_ids: z.array(z.string()),
  key_ring: keyRingSourceSchema,
  total: z.number(),
  healthy: z.number(),
  with_problems: z.number(),
  /** Accounts per cause (an account with two causes counts in both). */
  by_cause: z.record(z.string(), z.number()),
  /** Accounts per repair action. */
  by_repair: z.record(z.string(), z.number()),
  /** Accounts with at least one problem, by account id; `truncated` when the limit cut the list. */
  accounts: z.array(doctorAccountSchema),
  truncated: z.boolean(),
});
export type TokenDoctorReport = z.infer<typeof tokenDoctorResponse>;

export const tokenRepairBody = z.object({
  apply: z.boolean().default(false),
  /** Absent: every environment of the org. */
  env: environmentSchema.optional(),
  /** Only the repairs of these causes (absent: every cause). */
  causes: z.array(doctorCauseSchema).min(1, 'causes: name at least one cause').max(20).optional(),
  /** Only these accounts (absent: every account), e.g. the ones a preview listed and the admin confirmed. */
  ebay_account_ids: z
    .array(idSchema)
    .min(1, 'ebay_account_ids: name at least one account')
    .max(1000)
    .optional(),
  /**
   * Tokens under a key that is not in the ring: `leave` them (the default; add the key back and
   * they work again) or, when the key is lost for good, mark the accounts needs_reconnect.
   */
  unknown_key: z.enum(['leave', 'mark_needs_reconnect']).default('leave'),
});

export const repairStepSchema = z.object({
  token: z.enum(['access', 'refresh']).nullable(),
  action: repairActionSchema,
  cause: doctorCauseSchema,
  detail: z.string(),
});
export type RepairStep = z.infer<typeof repairStepSchema>;

/**
 * `planned`: dry run. `applied`: written. `conflict`: the row changed since it was read
 * (compare-and-set on version), left as it is. `busy`: a refresh holds the row's lease.
 * Conflicts and busy rows are picked up by the next run.
 */
export const repairOutcomeSchema = z.enum(['planned', 'applied', 'conflict', 'busy']);
export type RepairOutcome = z.infer<typeof repairOutcomeSchema>;

export const repairAccountSchema = z.object({
  ebay_account_id: z.string(),
  house_name: z.string(),
  environment: environmentSchema,
  outcome: repairOutcomeSchema,
  steps: z.array(repairStepSchema),
});
export type RepairAccount = z.infer<typeof repairAccountSchema>;

export const tokenRepairResponse = z.object({
  apply: z.boolean(),
  checked: z.number(),
  /** Accounts the repair changed (apply) or would change (dry run). */
  changed: z.number(),
  conflicts: z.number(),
  busy: z.number(),
  /** Accounts per repair action, planned or applied. */
  by_action: z.record(z.string(), z.number()),
  /** What only the seller can fix: accounts that need (or will need) reconnecting. */
  needs_seller: z.number(),
  /** Accounts left alone because their key is missing from the ring (`add_key_back`). */
  waiting_for_key: z.number(),
  accounts: z.array(repairAccountSchema),
  truncated: z.boolean(),
  /**
   * After an applied repair: how many repaired accounts are due for a refresh now, and the worker
   * cycle requested to refresh them at once (null when none is due, or for a dry run).
   */
  refresh_after: z
    .object({
      due_now: z.number(),
      cycle_requested_at: z.string().nullable(),
      /** A worker replica reported within the last three intervals; otherwise they wait for one. */
      worker_running: z.boolean(),
    })
    .nullable(),
});
export type TokenRepairReport = z.infer<typeof tokenRepairResponse>;

export const doctorEndpoints = {
  tokenDoctor: defineEndpoint({
    method: 'GET',
    path: '/api/admin/ebay/tokens/doctor',
    access: 'signed_in',
    tag: 'tokens',
    summary: "Why each of the org's accounts' tokens do or do not work, and the repair that applies",
    query: tokenDoctorQuery,
    response: tokenDoctorResponse,
  }),
  tokenRepair: defineEndpoint({
    method: 'POST',
    path: '/api/admin/ebay/tokens/repair',
    access: 'admin',
    tag: 'tokens',
    summary: "The doctor's repairs for the org: a dry run unless `apply` is true",
    body: tokenRepairBody,
    response: tokenRepairResponse,
  }),
};
