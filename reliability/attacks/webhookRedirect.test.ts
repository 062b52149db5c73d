import { AlertDispatcher, buildAlertEvent } from '@ebay-connector/server';
import { captureLogger, startWebhookReceiver } from '@ebay-connector/server/test-support';
import { recordFigures } from '../lib/figures.ts';

/**
 * Attack (issue 15): an alert receiver answers with a redirect to another local address (a
 * metadata service, an internal admin port). The event must not be sent there, and the log must
 * say the delivery failed, with the Location, not "delivered".
 */

const REDIRECTS = [301, 302, 303, 307, 308];

describe('attack: alert webhook redirects', () => {
  it('sends no event to the address a receiver redirects to, and logs every redirect as a failed delivery', async () => {
    const first = await startWebhookReceiver();
    const internal = await startWebhookReceiver();
    const log = captureLogger();
    const dispatcher = new AlertDispatcher({
      url: first.url,
      secret: 'reliability-secret-0123',
      timeoutMs: 2_000,
      logger: log.logger,
      baseDelayMs: 10,
      maxDelayMs: 20,
    });
    try {
      first.script(
        REDIRECTS.map((status) => ({ status, headers: { location: `${internal.url}?n=${status}` } })),
      );
      const started = performance.now();
      for (const status of REDIRECTS) {
        dispatcher.enqueue(
          buildAlertEvent(
            {
              type: 'loop.stale',
              previous_state: 'ok',
              state: 'stale',
              subject: {
                kind: 'loop',
                id: `redirect-${status}`,
                interval_seconds: 600,
                last_finished_at: null,
              },
              reason: { code: null, message: null },
            },
            new Date(),
          ),
        );
      }
      await dispatcher.idle();
      const failed = log
        .messages()
        .filter((m) => /not delivered after 1 attempts: HTTP 30\d redirect to /.test(m));
      const delivered = log.messages().filter((m) => / delivered$/.test(m));
      recordFigures('attack_webhook_redirect', {
        redirect_statuses: REDIRECTS,
        requests_to_receiver: first.requests.length,
        requests_to_redirect_target: internal.requests.length,
        logged_failed: failed.length,
        logged_delivered: delivered.length,
        duration_ms: Math.round(performance.now() - started),
      });
      expect(first.requests).toHaveLength(REDIRECTS.length);
      expect(internal.requests).toHaveLength(0);
      expect(delivered).toEqual([]);
      expect(failed).toHaveLength(REDIRECTS.length);
      expect(failed.every((m) => m.includes(internal.url))).toBe(true);
    } finally {
      dispatcher.close();
      await first.close();
      await internal.close();
    }
  });
});
