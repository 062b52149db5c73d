import { cycleSummarySchema } from '@ebay-connector/contracts';

/**
 * A cycle summary as this UI reads it. The API shows each org only its own part of a
 * cycle (due, refreshed, failed, failed_by_code and timings); the worker-wide fields
 * (checked, quota, …) may be absent, so everything else is optional here.
 */
export const cycleSummaryView = cycleSummarySchema
  .partial()
  .required({ due: true, refreshed: true, failed: true, failed_by_code: true });

export function parseCycleSummary(summary: unknown) {
  const parsed = cycleSummaryView.safeParse(summary);
  return parsed.success ? parsed.data : null;
}
