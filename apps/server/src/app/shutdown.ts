import type { Logger } from 'pino';

/**
 * Graceful stop on SIGTERM/SIGINT: abort the loops, let in-flight refreshes finish
 * within a deadline, close servers and the database, exit 0. A second signal or a
 * missed deadline exits 1.
 */
export function onShutdownSignal(
  logger: Logger,
  stop: (signal: AbortSignal) => Promise<void>,
  opts: { deadlineMs?: number } = {},
): AbortController {
  const controller = new AbortController();
  const deadlineMs = opts.deadlineMs ?? 30_000;
  let stopping = false;
  const handler = (name: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal: name }, 'Second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal: name, deadline_ms: deadlineMs }, 'Shutting down: finishing in-flight work');
    controller.abort();
    const timer = setTimeout(() => {
      logger.error('Shutdown deadline passed: exiting with in-flight work unfinished');
      process.exit(1);
    }, deadlineMs);
    timer.unref();
    stop(controller.signal).then(
      () => {
        logger.info('Stopped cleanly');
        process.exit(0);
      },
      (err: unknown) => {
        logger.error({ err }, 'Error during shutdown');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', handler);
  process.once('SIGINT', handler);
  return controller;
}
