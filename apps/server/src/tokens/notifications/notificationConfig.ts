import type { Env } from '../../config/env.ts';

export const ACCOUNT_DELETION_PATH = '/api/ebay/notifications/marketplace-account-deletion';

/** The verification token and the endpoint URL eBay hashes into the challenge; null when not set up. */
export function notificationConfig(
  env: Pick<
    Env,
    'EBAY_NOTIFICATION_VERIFICATION_TOKEN' | 'EBAY_NOTIFICATION_ENDPOINT_URL' | 'PUBLIC_URL' | 'HOST' | 'PORT'
  >,
): { verificationToken: string; endpointUrl: string } | null {
  const token = env.EBAY_NOTIFICATION_VERIFICATION_TOKEN;
  if (!token) return null;
  const base = (env.PUBLIC_URL ?? `http://${env.HOST}:${env.PORT}`).replace(/\/+$/, '');
  return {
    verificationToken: token,
    endpointUrl: env.EBAY_NOTIFICATION_ENDPOINT_URL ?? `${base}${ACCOUNT_DELETION_PATH}`,
  };
}
