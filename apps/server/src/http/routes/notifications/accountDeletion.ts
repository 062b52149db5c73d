import { endpoints } from '@ebay-connector/contracts';
import {
  challengeResponse,
  parseSignatureHeader,
  verifyNotification,
} from '../../../ebay/notificationSignature.ts';
import {
  deletionMessageSchema,
  notificationStatus,
  processNotification,
  recordVerificationFailure,
} from '../../../tokens/notifications/accountDeletion.ts';
import { notificationConfig } from '../../../tokens/notifications/notificationConfig.ts';
import { notificationPublicKey } from '../../../tokens/notifications/publicKeys.ts';
import { endpointRoute } from '../../endpointRoute.ts';
import { countHit, peekHits } from '../../rateLimitStore.ts';
import type { HttpDeps, ZodApp } from '../../types.ts';

/**
 * eBay's Marketplace Account Deletion endpoint: the challenge (GET) and signed notifications
 * (POST). The POST's signature covers the exact bytes eBay sent, so this route's JSON parser
 * keeps the raw body (a Buffer) and parses it itself, only after verifying.
 */
/**
 * Anyone can POST here. Valid notifications are never limited (eBay sends one for every deleted
 * eBay user, of every application, and retries what is refused); refused ones (bad header, body,
 * kid or signature) count per address, and past 60 a minute the address gets a 429 before any
 * work: no public key fetch from eBay and no failure row for each forged request.
 */
export const REFUSED_NOTIFICATIONS_PER_IP = { max: 60, windowMs: 60_000 } as const;

export function registerAccountDeletionNotifications(app: ZodApp, deps: HttpDeps): void {
  const config = () => notificationConfig(deps.ctx.env);
  const notFound = {
    error: {
      code: 'not_found',
      message: 'eBay notifications are not set up (EBAY_NOTIFICATION_VERIFICATION_TOKEN)',
    },
  };

  app.route({
    ...endpointRoute(endpoints.notificationChallenge),
    handler: async (request, reply) => {
      const c = config();
      if (!c) return reply.code(404).send(notFound);
      const code = request.query.challenge_code;
      if (!code || code.length > 512 || !/^[\x21-\x7e]+$/.test(code)) {
        return reply.code(400).send({
          error: {
            code: 'invalid_request',
            message: 'challenge_code: 1 to 512 printable characters required',
          },
        });
      }
      return reply
        .type('application/json')
        .send({ challengeResponse: challengeResponse(code, c.verificationToken, c.endpointUrl) });
    },
  });

  app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 64 * 1024 }, (_req, body, done) => {
      done(null, body);
    });
    scope.route({
      ...endpointRoute(endpoints.accountDeletionNotification),
      handler: async (request, reply) => {
        const ctx = deps.ctx;
        if (!config()) return reply.code(404).send(notFound);
        const limitKey = `notification-refused-ip:${request.ip}`;
        const refusedHere = await peekHits(ctx.db, limitKey);
        if (refusedHere.current >= REFUSED_NOTIFICATIONS_PER_IP.max) {
          const seconds = Math.max(1, Math.ceil(refusedHere.ttl / 1000));
          reply.header('retry-after', String(seconds));
          return reply.code(429).send({
            error: {
              code: 'rate_limited',
              message: `too many refused notifications from this address; try again in ${seconds} seconds`,
            },
          });
        }
        const refuse = async (status: number, reason: string, message: string) => {
          // eBay being unreachable (503) is not the sender's fault; forged or broken requests are.
          if (status !== 503) await countHit(ctx.db, limitKey, REFUSED_NOTIFICATIONS_PER_IP.windowMs);
          await recordVerificationFailure(ctx.db, reason, status);
          request.log.warn({ reason }, `eBay notification refused: ${message}`);
          return reply.code(status).send({ error: { code: reason, message } });
        };
        const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        const header = parseSignatureHeader(request.headers['x-ebay-signature'] as string | undefined);
        if (!header.ok) return refuse(400, 'malformed_signature', header.message);
        let json: unknown;
        try {
          json = JSON.parse(raw.toString('utf8'));
        } catch {
          return refuse(400, 'malformed_body', 'the body is not JSON');
        }
        const message = deletionMessageSchema.safeParse(json);
        if (!message.success) return refuse(400, 'malformed_body', 'the body is not an eBay notification');
        const key = await notificationPublicKey(ctx, header.header.kid);
        if (!key.ok) {
          if (key.reason === 'unknown_kid') return refuse(412, 'unknown_kid', key.message);
          reply.header('retry-after', '60');
          return refuse(
            503,
            'public_key_unavailable',
            `eBay's public key could not be fetched: ${key.message}`,
          );
        }
        if (!verifyNotification(raw, header.header.signature, key.key)) {
          return refuse(412, 'invalid_signature', 'the signature does not match the body');
        }
        const result = await processNotification(
          ctx.db,
          message.data,
          ctx.ebay.defaultEnvironment,
          ctx.now(),
        );
        if (!result.duplicate && result.accounts.length > 0) {
          request.log.warn(
            { accounts: result.accounts.map((a) => a.id) },
            `eBay account deletion: ${result.accounts.length} account(s) erased`,
          );
        }
        return reply.code(204).send();
      },
    });
  });

  app.route({
    ...endpointRoute(endpoints.notificationStatus),
    handler: async () => notificationStatus(deps.ctx.db, config()?.endpointUrl ?? null),
  });
}
