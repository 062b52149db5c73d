import { z } from 'zod';
import { defineEndpoint } from './endpoint.ts';

/**
 * eBay's Marketplace Account Deletion notifications (public: eBay calls them, no session). Both
 * answer 404 while EBAY_NOTIFICATION_VERIFICATION_TOKEN is not set.
 */

export const ACCOUNT_DELETION_NOTIFICATION_PATH = '/api/ebay/notifications/marketplace-account-deletion';

export const notificationChallengeQuery = z.object({ challenge_code: z.string().optional() });
export const notificationChallengeResponse = z.object({ challengeResponse: z.string() });

export const notificationStatusResponse = z.object({
  configured: z.boolean(),
  endpoint_url: z.string().nullable(),
  last_received_at: z.string().nullable(),
  last_failure_at: z.string().nullable(),
  last_failure_reason: z.string().nullable(),
});
export type NotificationStatusView = z.infer<typeof notificationStatusResponse>;

export const notificationsEndpoints = {
  notificationChallenge: defineEndpoint({
    method: 'GET',
    path: ACCOUNT_DELETION_NOTIFICATION_PATH,
    access: 'public',
    tag: 'connect',
    summary: "eBay's endpoint validation: hex(sha256(challenge_code + verification token + endpoint URL))",
    query: notificationChallengeQuery,
    response: notificationChallengeResponse,
  }),
  accountDeletionNotification: defineEndpoint({
    method: 'POST',
    path: ACCOUNT_DELETION_NOTIFICATION_PATH,
    access: 'public',
    tag: 'connect',
    summary:
      'A signed Marketplace Account Deletion notification: 204 once recorded, 412 bad signature, 400 malformed, 503 key unobtainable',
    rawAnswer: { status: 204, mediaType: 'application/json', description: 'Acknowledged (empty body)' },
  }),
  notificationStatus: defineEndpoint({
    method: 'GET',
    path: '/api/admin/ebay/notifications/status',
    access: 'signed_in',
    tag: 'workers',
    summary:
      'The Notifications line of the Workers page: configured, last received, last verification failure',
    response: notificationStatusResponse,
  }),
};
