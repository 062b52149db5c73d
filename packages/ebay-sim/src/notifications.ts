import { generateKeyPairSync, type KeyObject, randomUUID, sign } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SimContext } from './context.ts';
import { headerValue, sendJson } from './httpUtil.ts';

/**
 * eBay's Notification API, as far as a subscriber sees it: `GET
 * /commerce/notification/v1/public_key/{kid}` (application token required; the PEM on one line,
 * as eBay answers it) and, from the control API, a signed MARKETPLACE_ACCOUNT_DELETION sent to an
 * endpoint, signed with the sim's own EC P-256 key exactly as eBay signs (ECDSA SHA1 over the body
 * bytes, DER, in the base64 JSON header X-EBAY-SIGNATURE).
 */

export class NotificationSigner {
  readonly kid = randomUUID();
  private readonly privateKey: KeyObject;
  readonly publicKeyPem: string;
  /** Public-key calls still to fail with 503 (eBay down during verification). */
  failPublicKeyCalls = 0;

  constructor() {
    const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    this.privateKey = pair.privateKey;
    this.publicKeyPem = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString().replace(/\n/g, '');
  }

  signatureHeader(body: string, kid: string = this.kid): string {
    const signature = sign('sha1', Buffer.from(body), { key: this.privateKey, dsaEncoding: 'der' }).toString(
      'base64',
    );
    return Buffer.from(JSON.stringify({ alg: 'ecdsa', kid, signature, digest: 'SHA1' })).toString('base64');
  }
}

export type DeletionInput = {
  url: string;
  userId: string;
  username?: string;
  notificationId?: string;
  /** Tests: sign with a key id eBay does not know, or send a body that differs from the signed one. */
  kid?: string;
  tamper?: boolean;
};

export type DeletionDelivery = { status: number; notificationId: string };

export function deletionBody(input: DeletionInput, now: number): { body: string; notificationId: string } {
  const notificationId = input.notificationId ?? `${randomUUID()}_${randomUUID()}`;
  const date = new Date(now).toISOString();
  const body = JSON.stringify({
    metadata: { topic: 'MARKETPLACE_ACCOUNT_DELETION', schemaVersion: '1.0', deprecated: false },
    notification: {
      notificationId,
      eventDate: date,
      publishDate: date,
      publishAttemptCount: 1,
      data: {
        username: input.username ?? '',
        userId: input.userId,
        eiasToken: Buffer.from(input.userId).toString('base64'),
      },
    },
  });
  return { body, notificationId };
}

export async function sendDeletionNotification(
  ctx: SimContext,
  input: DeletionInput,
): Promise<DeletionDelivery> {
  const url = new URL(input.url);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new RangeError('"url" must be http(s)');
  const { body, notificationId } = deletionBody(input, ctx.now());
  const header = ctx.notifications.signatureHeader(body, input.kid);
  const sent = input.tamper ? body.replace('"publishAttemptCount":1', '"publishAttemptCount":2') : body;
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-ebay-signature': header },
    body: sent,
    redirect: 'manual',
  });
  await res.arrayBuffer();
  return { status: res.status, notificationId };
}

export function handlePublicKey(ctx: SimContext, req: IncomingMessage, res: ServerResponse, kid: string) {
  ctx.counters.countPublicKeyCall();
  const bearer = /^Bearer\s+(\S+)$/i.exec(headerValue(req, 'authorization'))?.[1];
  if (!bearer || !ctx.store.validAppToken(bearer)) {
    return sendJson(res, 401, {
      errors: [{ errorId: 1001, domain: 'OAuth', message: 'Invalid access token' }],
    });
  }
  if (ctx.notifications.failPublicKeyCalls > 0) {
    ctx.notifications.failPublicKeyCalls -= 1;
    return sendJson(res, 503, { errors: [{ errorId: 195000, message: 'Service unavailable' }] });
  }
  if (kid !== ctx.notifications.kid) {
    return sendJson(res, 404, { errors: [{ errorId: 195001, message: 'The public key was not found' }] });
  }
  sendJson(res, 200, { key: ctx.notifications.publicKeyPem, algorithm: 'ECDSA', digest: 'SHA1' });
}
