import { z } from 'zod';

export const loopStatusSchema = z.object({
  name: z.string(),
  interval_seconds: z.number(),
  last_started_at: z.string().nullable(),
  last_finished_at: z.string().nullable(),
  last_status: z.enum(['running', 'ok', 'error']).nullable(),
  last_error: z.string().nullable(),
  stale: z.boolean(),
  last_summary: z.record(z.string(), z.unknown()).nullable(),
  instance_id: z.string().nullable(),
});
export const loopStatusResponse = z.object({ loops: z.array(loopStatusSchema) });
export type LoopStatus = z.infer<typeof loopStatusSchema>;

/** What one token refresh cycle did, as written to `last_summary` and the cycle log entry. */
export const cycleSummarySchema = z.object({
  cycle_id: z.string(),
  started_at: z.string(),
  finished_at: z.string(),
  duration_ms: z.number(),
  checked: z.number(),
  due: z.number(),
  refreshed: z.number(),
  failed: z.number(),
  failed_by_code: z.record(z.string(), z.number()),
  skipped: z.number(),
  circuit_open: z.boolean(),
  quota: z.object({
    calls_24h: z.number(),
    projected_daily: z.number(),
    limit: z.number(),
    warning: z.boolean(),
  }),
});
export type CycleSummary = z.infer<typeof cycleSummarySchema>;
