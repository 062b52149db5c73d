import type { AppContext } from '../context.ts';
import { type LoopHandle, startLoop } from '../lib/loop.ts';
import { alertDispatcherFor, detectAndSendAlerts } from './detectAndSendAlerts.ts';

/**
 * The `alert_monitor` loop, for processes other than the worker (the web role): a dead worker
 * cannot report its own loop going stale, so something else must look. It runs the same
 * detection as the worker's post-cycle hook; the compare-and-set in `alert_states` keeps the
 * two from sending an event twice. Returns null when no webhook is configured.
 */

export const ALERT_MONITOR = 'alert_monitor';

export function startAlertMonitor(
  ctx: AppContext,
  opts: { signal: AbortSignal; intervalSeconds?: number },
): LoopHandle | null {
  const dispatcher = alertDispatcherFor(ctx);
  if (!dispatcher) return null;
  opts.signal.addEventListener('abort', () => dispatcher.close(), { once: true });
  return startLoop({
    name: ALERT_MONITOR,
    intervalSeconds: opts.intervalSeconds ?? 60,
    db: ctx.db,
    instanceId: ctx.instanceId,
    logger: ctx.logger,
    now: ctx.now,
    signal: opts.signal,
    runCycle: async () => {
      const run = await detectAndSendAlerts(ctx, { dispatcher });
      if (run.error) throw new Error(run.error);
      return { events: run.events.length, pending_deliveries: dispatcher.pending };
    },
  });
}
