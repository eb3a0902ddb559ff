import type { Request } from 'express';
import { verifyToken, type VerifiedSession } from '../../src/token.js';
import { HttpError } from './errors.js';

/** What verifies a session: the secret tokens are signed with, and the revoked sessions. */
export type SessionKeys = { secret: string; isRevoked: (sessionId: string) => boolean };

/** The token of `Authorization: Bearer <token>`, if the request has one. */
export const bearerToken = (req: Request): string | undefined =>
  /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '')?.[1];

/**
 * The `session` cookie's token. Only signing out reads it: any other call taking the cookie could be
 * made by another site's form (a cross-site DELETE needs a CORS preflight, which we never answer).
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
  if (!token) throw new HttpError(401, 'no_token', 'send Authorization: Bearer <token>');
  const verified = verifyToken(keys.secret, token, { revoked: keys.isRevoked });
  if (!verified.ok) throw new HttpError(401, 'bad_token', `the token is ${verified.reason}`);
  return verified.session;
}

/** The session of `Authorization: Bearer <token>`, or a 401. */
export const requireSession = (keys: SessionKeys, req: Request): VerifiedSession => sessionOf(keys, bearerToken(req));
