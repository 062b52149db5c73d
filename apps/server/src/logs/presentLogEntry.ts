import {
  type Action,
  type Environment,
  httpRequestSchema,
  httpResponseSchema,
  type LogEntry,
  messageWithoutCode,
  type Source,
} from '@ebay-connector/contracts';
import { maskExchange, maskFreeText, maskJson, scrubSecret } from './mask.ts';
import { isMaskedExchange, MASKED_AUTHORIZATION } from './maskCheck.ts';

/**
 * Turns a stored connect-log row into the `LogEntry` an org may see. Transcripts were
 * masked when written; they are masked again here as the last line of defence. A
 * `token_refresh_cycle` row is shared by every org: each org sees the cycle's timing and
 * its own part of `by_org`, never another org's numbers.
 */

export interface LogRow {
  id: number;
  orgId: string | null;
  accountId: string | null;
  environment: Environment | null;
  action: Action;
  source: Source;
  request: unknown;
  response: unknown;
  error: unknown;
  summary: unknown;
  durationMs: number | null;
  createdAt: Date;
  houseName: string | null;
  /** Read for the terminal's search only (never shown). */
  ebayUsername?: string | null;
}

/**
 * The cycle-wide facts every org may see: timing, and whether eBay looked down. Totals,
 * quota use and `by_org` span every org and stay server-side.
 */
const CYCLE_SHARED_KEYS = [
  'cycle_id',
  'instance_id',
  'started_at',
  'finished_at',
  'duration_ms',
  'circuit_open',
  'circuit_reason',
  'aborted',
] as const;
const EMPTY_ORG_PART = { due: 0, refreshed: 0, failed: 0, failed_by_code: {} };

/** A cycle summary as one org sees it: the shared facts and its own `by_org` part. */
export function presentCycleSummary(summary: unknown, orgId: string): Record<string, unknown> {
  const all = isRecord(summary) ? summary : {};
  const shared = Object.fromEntries(CYCLE_SHARED_KEYS.filter((k) => k in all).map((k) => [k, all[k]]));
  const byOrg = isRecord(all.by_org) ? all.by_org : {};
  const own = isRecord(byOrg[orgId]) ? byOrg[orgId] : {};
  return { ...shared, ...EMPTY_ORG_PART, ...own, ...presentCyclePlan(all, orgId) };
}

/**
 * The cycle's plan as the Workers page's `refresh_plan` shows it: the keyset's quota figures,
 * which every org shares, with the org's own warm and on-demand counts.
 */
function presentCyclePlan(all: Record<string, unknown>, orgId: string): { plan?: Record<string, unknown> } {
  if (!isRecord(all.plan)) return {};
  const byOrg = isRecord(all.plan_by_org) ? all.plan_by_org : {};
  const own = isRecord(byOrg[orgId]) ? byOrg[orgId] : {};
  return { plan: { ...all.plan, warm: own.warm ?? 0, on_demand: own.on_demand ?? 0 } };
}

export function presentLogEntry(row: LogRow, orgId: string, clientSecret?: string): LogEntry {
  const parsedRequest = httpRequestSchema.safeParse(row.request);
  const parsedResponse = httpResponseSchema.safeParse(row.response);
  const { request, response } = remaskExchange(
    {
      request: parsedRequest.success ? parsedRequest.data : null,
      response: parsedResponse.success ? parsedResponse.data : null,
    },
    clientSecret,
  );
  const isCycle = row.action === 'token_refresh_cycle';
  return {
    id: row.id,
    created_at: row.createdAt.toISOString(),
    action: row.action,
    source: row.source,
    environment: row.environment,
    ebay_account_id: row.accountId,
    house_name: row.houseName,
    request,
    response,
    summary: isCycle ? presentCycleSummary(row.summary, orgId) : presentOwnSummary(row.summary),
    error: presentError(row.error, clientSecret),
    duration_ms: row.durationMs,
  };
}

/**
 * Masks a stored transcript again. Idempotent: bodies and URLs mask to themselves, and
 * an already masked Authorization header is kept as it is. A transcript that is already
 * masked (the usual case: it was masked when written) is kept as it is, after a cheap check
 * (`isMaskedExchange`); anything else takes the full walk.
 */
function remaskExchange<T extends Pick<LogEntry, 'request' | 'response'>>(
  exchange: T,
  clientSecret?: string,
): T {
  if (isMaskedExchange(exchange, clientSecret)) return exchange;
  const alreadyMasked = Object.entries(exchange.request?.headers ?? {}).filter(
    ([name, value]) => name.toLowerCase() === 'authorization' && MASKED_AUTHORIZATION.test(value),
  );
  const masked = maskExchange(exchange, clientSecret ? { clientSecret } : {});
  if (masked.request && alreadyMasked.length > 0) {
    masked.request = {
      ...masked.request,
      headers: { ...masked.request.headers, ...Object.fromEntries(alreadyMasked) },
    };
  }
  return masked;
}

/** Any other entry's summary is the org's own (who viewed a token, what a repair did). */
function presentOwnSummary(summary: unknown): Record<string, unknown> | null {
  return isRecord(summary) ? (maskJson(summary) as Record<string, unknown>) : null;
}

function presentError(error: unknown, clientSecret?: string): LogEntry['error'] {
  if (error === null || error === undefined) return null;
  const clean = (s: string) => scrubSecret(maskFreeText(s), clientSecret);
  if (!isRecord(error)) return { code: 'error', message: clean(String(error)) };
  const code = typeof error.code === 'string' ? error.code : 'error';
  const message = typeof error.message === 'string' ? error.message : JSON.stringify(error);
  return {
    code,
    message: clean(messageWithoutCode(code, message)),
    ...(typeof error.diagnosis === 'string' ? { diagnosis: error.diagnosis } : {}),
  };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
