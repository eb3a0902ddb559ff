import type { Request } from 'express';
import { verifyToken, type Session } from '../../src/token.js';
import { HttpError } from './errors.js';

/** The session of `Authorization: Bearer <token>`, or a 401. */
export function requireSession(secret: string, req: Request): Session {
  const header = req.get('authorization') ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match?.[1]) throw new HttpError(401, 'no_token', 'send Authorization: Bearer <token>');
  const verified = verifyToken(secret, match[1]);
  if (!verified.ok) throw new HttpError(401, 'bad_token', `the token is ${verified.reason}`);
  return verified.session;
}
