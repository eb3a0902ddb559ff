import type { Request } from 'express';
import { verifyToken, type VerifiedSession } from '../../src/token.js';
import { HttpError } from './errors.js';

/** What verifies a session: the secret tokens are signed with, and the revoked sessions. */
export type SessionKeys = { secret: string; isRevoked: (sessionId: string) => boolean };

/** The token of `Authorization: Bearer <token>`, if the request has one. */
export const bearerToken = (req: Request): string | undefined =>
  /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '')?.[1];

/**
 * The `session` cookie's token, as sent. Routes take it through `requireSession`, which refuses it
 * where another site's page could have made the browser send it.
 */
export function cookieToken(req: Request): string | undefined {
  for (const part of (req.get('cookie') ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name !== 'session' || !value.length) continue;
    try {
      return decodeURIComponent(value.join('='));
    } catch {
      // A malformed percent-escape: the value as sent, which then fails to verify like any bad token.
      return value.join('=');
    }
  }
  return undefined;
}

/** The session of a token, or a 401: none, forged, malformed, expired or revoked. */
export function sessionOf(keys: SessionKeys, token: string | undefined): VerifiedSession {
  if (!token)
    throw new HttpError(401, 'no_token', 'sign in: send Authorization: Bearer <token>, or the session cookie');
  const verified = verifyToken(keys.secret, token, { revoked: keys.isRevoked });
  if (!verified.ok) throw new HttpError(401, 'bad_token', `the token is ${verified.reason}`);
  return verified.session;
}

/**
 * Whether a request carrying the cookie comes from a page of this site. Reading (GET, HEAD) changes
 * nothing, and another site cannot read the answer (no CORS): taken. Anything else must say where
 * it comes from: browsers send `Origin` on every POST and DELETE, and another site's form, `fetch`
 * or `<img>` cannot forge it, so an `Origin` naming this host is this site's own page (SameSite=Lax
 * already keeps the cookie off other sites' POSTs; this also covers sibling subdomains and
 * browsers without SameSite). nginx passes the browser's `Host` on.
 */
export function fromOwnPage(req: Request): boolean {
  if (req.method === 'GET' || req.method === 'HEAD') return true;
  const origin = req.get('origin');
  if (!origin) return false;
  try {
    return new URL(origin).host === req.get('host');
  } catch {
    // `Origin: null` (a sandboxed frame, a redirect across sites) or garbage: not our page.
    return false;
  }
}

/** The token of a request: `Authorization: Bearer`, or the `session` cookie from this site's own page. */
export const requestToken = (req: Request): string | undefined =>
  bearerToken(req) ?? (fromOwnPage(req) ? cookieToken(req) : undefined);

/** The session of the request's token (Bearer, or the cookie from this site's page), or a 401. */
export const requireSession = (keys: SessionKeys, req: Request): VerifiedSession => sessionOf(keys, requestToken(req));
