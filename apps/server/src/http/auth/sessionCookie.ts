import type { FastifyReply } from 'fastify';

/**
 * The session cookie: httpOnly, SameSite=Lax (so eBay's redirect back keeps it), Secure on https.
 * On https it is `__Host-ebc_session`: the browser then takes it only from this exact host, Secure,
 * path `/`, so neither a sibling subdomain nor a plain-http page can set or shadow it.
 */

export const SESSION_COOKIE = 'ebc_session';
export const SECURE_SESSION_COOKIE = '__Host-ebc_session';

export function sessionCookieName(secure: boolean): string {
  return secure ? SECURE_SESSION_COOKIE : SESSION_COOKIE;
}

export function setSessionCookie(reply: FastifyReply, token: string, expiresAt: Date, secure: boolean): void {
  void reply.setCookie(sessionCookieName(secure), token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure,
    expires: expiresAt,
  });
}

export function clearSessionCookie(reply: FastifyReply, secure: boolean): void {
  void reply.clearCookie(sessionCookieName(secure), { path: '/', httpOnly: true, sameSite: 'lax', secure });
}
