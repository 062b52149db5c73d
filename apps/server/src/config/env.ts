import { z } from 'zod';
import { COMMON_PASSWORD_MESSAGE, isCommonPassword } from '../auth/passwordPolicy.ts';

/**
 * Every environment variable, in one schema, parsed once at start.
 * Invalid configuration stops the process with a message naming every bad variable.
 */

const optionalUrl = z.url().optional();
const int = (def: number, min = 0) => z.coerce.number().int().min(min).default(def);

export const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: int(3000, 0).refine((p) => p < 65536, 'must be a port number'),
    HOST: z.string().min(1).default('127.0.0.1'),
    PUBLIC_URL: optionalUrl,
    /** Behind a reverse proxy: `true` (trust all), a hop count, or the proxies' addresses/CIDRs, comma-separated. */
    TRUST_PROXY: z.string().trim().default('false').transform(parseTrustProxy),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
      .optional(),
    DATA_DIR: z.string().min(1).default('./data'),
    TOKEN_ENCRYPTION_KEYS: z.string().min(1).optional(),
    EBAY_ENVIRONMENT: z.enum(['sandbox', 'production']).default('production'),
    EBAY_CLIENT_ID: z.string().min(1).optional(),
    EBAY_CLIENT_SECRET: z.string().min(1).optional(),
    EBAY_RU_NAME: z.string().min(1).optional(),
    EBAY_AUTH_BASE_URL: optionalUrl,
    EBAY_API_BASE_URL: optionalUrl,
    EBAY_APIZ_BASE_URL: optionalUrl,
    EBAY_SCOPES: z.string().min(1).optional(),
    EBAY_HTTP_TIMEOUT_MS: int(15_000, 100),
    ADMIN_EMAIL: z.email().optional(),
    ADMIN_PASSWORD: z
      .string()
      .min(8, 'must be at least 8 characters')
      .refine((p) => !isCommonPassword(p), COMMON_PASSWORD_MESSAGE)
      .optional(),
    TOKEN_REFRESH_INTERVAL_SECONDS: int(600, 1),
    TOKEN_REFRESH_THRESHOLD_SECONDS: int(900, 0),
    /** Seconds between the worker's short claim passes (warm tokens near expiry); 0 turns them off. */
    TOKEN_REFRESH_CLAIM_INTERVAL_SECONDS: int(60, 0),
    /** With claim passes: refresh a warm token when it expires within this (+ 0–30 s jitter). */
    TOKEN_REFRESH_CLAIM_MARGIN_SECONDS: int(180, 1),
    TOKEN_REFRESH_CONCURRENCY: int(8, 1).refine((n) => n <= 256, 'must be at most 256'),
    /** Accounts without a policy of their own: `auto` (the refresh plan decides), `warm` or `on_demand`. */
    TOKEN_REFRESH_POLICY: z.enum(['auto', 'warm', 'on_demand']).default('auto'),
    /** eBay's refresh-token calls per application per day (50,000 unless eBay granted more). */
    EBAY_DAILY_REFRESH_LIMIT: int(50_000, 1),
    /** Percent of that limit kept for on-demand refreshes and retries; the rest is the warm budget. */
    EBAY_REFRESH_RESERVE: int(20, 0).refine((n) => n <= 90, 'must be a percentage from 0 to 90'),
    LOG_RETENTION_DAYS: int(30, 1),
    /** Requests per minute per API key on `/api/v1` (counted across replicas); more answer 429. */
    API_KEY_RATE_LIMIT_PER_MINUTE: int(6000, 1),
    /** How often a replica sends a key's hits to the shared window at most (ms); 0: every request. */
    API_KEY_RATE_LIMIT_SYNC_MS: int(250, 0).refine((n) => n <= 10_000, 'must be at most 10000'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** `json`: JSON lines; `pretty`: readable lines. Unset: pretty on a terminal, JSON otherwise. */
    LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
    ALERT_WEBHOOK_URL: optionalUrl,
    ALERT_WEBHOOK_SECRET: z.string().min(16).optional(),
    EBAY_SIM_PORT: int(0, 0),
    /** GET /metrics needs `Authorization: Bearer <METRICS_TOKEN>`; unset → only with METRICS_PUBLIC=true. */
    METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
    METRICS_PUBLIC: z
      .enum(['true', 'false'])
      .default('false')
      .transform((v) => v === 'true'),
    /** eBay's Marketplace Account Deletion endpoint: the verification token entered at eBay. Unset: the endpoint answers 404. */
    EBAY_NOTIFICATION_VERIFICATION_TOKEN: z
      .string()
      .regex(/^[A-Za-z0-9_-]{32,80}$/, 'must be 32 to 80 letters, digits, _ or - (as eBay requires)')
      .optional(),
    /** The exact https URL registered with eBay; default PUBLIC_URL + /api/ebay/notifications/marketplace-account-deletion. */
    EBAY_NOTIFICATION_ENDPOINT_URL: optionalUrl,
  })
  .superRefine((env, ctx) => {
    // Claim passes run between cycles, so a warm token is looked at every min(claim, cycle) seconds.
    const claimEvery = env.TOKEN_REFRESH_CLAIM_INTERVAL_SECONDS;
    const lookEvery = Math.min(claimEvery, env.TOKEN_REFRESH_INTERVAL_SECONDS);
    if (claimEvery > 0 && claimEvery < 10) {
      ctx.addIssue({
        code: 'custom',
        path: ['TOKEN_REFRESH_CLAIM_INTERVAL_SECONDS'],
        message: 'must be 0 (claim passes off) or at least 10 seconds',
      });
    } else if (claimEvery > 0 && env.TOKEN_REFRESH_CLAIM_MARGIN_SECONDS < 2 * lookEvery) {
      ctx.addIssue({
        code: 'custom',
        path: ['TOKEN_REFRESH_CLAIM_MARGIN_SECONDS'],
        message: `must be at least twice the claim interval (min of TOKEN_REFRESH_CLAIM_INTERVAL_SECONDS and TOKEN_REFRESH_INTERVAL_SECONDS: ${lookEvery} s), so a warm token is due in at least one claim pass before it expires`,
      });
    }
    const ebay = [env.EBAY_CLIENT_ID, env.EBAY_CLIENT_SECRET, env.EBAY_RU_NAME];
    if (ebay.some(Boolean) && !ebay.every(Boolean)) {
      for (const name of ['EBAY_CLIENT_ID', 'EBAY_CLIENT_SECRET', 'EBAY_RU_NAME'] as const) {
        if (!env[name])
          ctx.addIssue({
            code: 'custom',
            path: [name],
            message: 'required when any EBAY_* credential is set',
          });
      }
    }
    if (env.NODE_ENV === 'production' && !env.TOKEN_ENCRYPTION_KEYS) {
      ctx.addIssue({
        code: 'custom',
        path: ['TOKEN_ENCRYPTION_KEYS'],
        message:
          'required in production (kid:base64key[,…]; generate one with `npm run cli -- keys generate`)',
      });
    }
    if (env.NODE_ENV === 'production' && env.ALERT_WEBHOOK_URL && !env.ALERT_WEBHOOK_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: ['ALERT_WEBHOOK_SECRET'],
        message:
          'required in production when ALERT_WEBHOOK_URL is set (16+ characters; events are signed with it, X-Signature-256)',
      });
    }
  });

export type Env = z.infer<typeof envSchema>;

/** Configuration that starts but should not: each warning is logged at start (warn level). */
export function configWarnings(env: Env): string[] {
  const warnings: string[] = [];
  if (env.ALERT_WEBHOOK_URL && !env.ALERT_WEBHOOK_SECRET) {
    warnings.push(
      'ALERT_WEBHOOK_URL is set without ALERT_WEBHOOK_SECRET: alert events are sent UNSIGNED and a receiver cannot tell them from forged ones. Set ALERT_WEBHOOK_SECRET (16+ characters); production refuses to start without it.',
    );
  }
  // With claim passes on, warm tokens come due by the claim margin (tokens/sql/dueSchedule.ts).
  if (env.TOKEN_REFRESH_CLAIM_INTERVAL_SECONDS > 0 && env.TOKEN_REFRESH_THRESHOLD_SECONDS !== 900) {
    warnings.push(
      `TOKEN_REFRESH_THRESHOLD_SECONDS=${env.TOKEN_REFRESH_THRESHOLD_SECONDS} does not change when warm tokens are refreshed while claim passes are on (TOKEN_REFRESH_CLAIM_INTERVAL_SECONDS=${env.TOKEN_REFRESH_CLAIM_INTERVAL_SECONDS}; it only moves where "expiring soon" starts): they are refreshed TOKEN_REFRESH_CLAIM_MARGIN_SECONDS (${env.TOKEN_REFRESH_CLAIM_MARGIN_SECONDS} s) before they expire. Set the margin instead, or TOKEN_REFRESH_CLAIM_INTERVAL_SECONDS=0 to refresh on the cycle by the threshold.`,
    );
  }
  return warnings;
}

/** Fastify's `trustProxy`: which X-Forwarded-For hops to believe for the client's address. */
function parseTrustProxy(raw: string): boolean | string[] | ((address: string, hop: number) => boolean) {
  const value = raw.toLowerCase();
  if (value === '' || value === 'false') return false;
  if (value === 'true') return true;
  // A hop count: trust that many proxies in front of us (as Express and Fastify read a number).
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    return (_address, hop) => hop < hops;
  }
  return raw
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
}

export const DEFAULT_SCOPES = [
  'https://api.ebay.com/oauth/api_scope',
  'https://api.ebay.com/oauth/api_scope/sell.inventory',
  'https://api.ebay.com/oauth/api_scope/sell.fulfillment',
  'https://api.ebay.com/oauth/api_scope/sell.account',
  'https://api.ebay.com/oauth/api_scope/commerce.identity.readonly',
];

export class ConfigError extends Error {}

/** Parses the environment; throws a ConfigError naming every bad variable. Unknown EBAY_/TOKEN_ names are errors too. */
export function parseEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const known = new Set(Object.keys(envSchema.shape));
  const unknown = Object.keys(source).filter(
    (k) => /^(EBAY_|TOKEN_|ADMIN_|ALERT_)/.test(k) && !known.has(k) && source[k] !== undefined,
  );
  const result = envSchema.safeParse(
    Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== '')),
  );
  const problems = [
    ...unknown.map(
      (k) =>
        `${k}: unknown variable (known: ${[...known].filter((n) => n.startsWith(k.split('_')[0]!)).join(', ')})`,
    ),
    ...(result.success ? [] : result.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`)),
  ];
  if (problems.length > 0 || !result.success) {
    throw new ConfigError(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
  return result.data;
}

export function scopesOf(env: Env): string[] {
  return env.EBAY_SCOPES ? env.EBAY_SCOPES.split(/[\s,]+/).filter(Boolean) : DEFAULT_SCOPES;
}
