import type { Request } from 'express';
import { verifyToken, type Session } from '../../src/token.js';
import { HttpError } from './errors.js';

/** The token of `Authorization: Bearer <token>`, if the request has one. */
export const bearerToken = (req: Request): string | undefined =>
  /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '')?.[1];

/** The session of `Authorization: Bearer <token>`, or a 401. */
export function requireSession(secret: string, req: Request): Session {
  const token = bearerToken(req);
  if (!token) throw new HttpError(401, 'no_token', 'send Authorization: Bearer <token>');
  const verified = verifyToken(secret, token);
  if (!verified.ok) throw new HttpError(401, 'bad_token', `the token is ${verified.reason}`);
  return verified.session;
}
