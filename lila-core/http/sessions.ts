import type { Router } from 'express';
import express from 'express';
import { ANONYMOUS_PREFIX } from '../../protocol/game.js';
import { SessionCreate } from '../../protocol/http.js';
import { newSessionId, signToken } from '../../src/token.js';
import { randomId } from '../ids.js';
import type { Accounts } from '../users/accounts.js';
import type { Revocations } from '../users/revocations.js';
import { bearerToken, cookieToken, sessionOf, type SessionKeys } from './auth.js';
import { HttpError, parseBody } from './errors.js';

export type SessionDeps = SessionKeys & {
  accounts: Accounts;
  revocations: Revocations;
  sessionTtlSeconds: number;
  now: () => number;
};

/** Sent with every sign-out, whatever its outcome: a browser has no use for that cookie any more. */
const CLEAR_COOKIE = 'session=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax';

/**
 * Sessions: `POST /api/session` signs in (or opens an anonymous session) with a token naming a new
 * session id; `DELETE /api/session` revokes the token it is called with (Bearer, or the `session`
 * cookie), on the API and on every relay (users/revocations.ts).
 */
export function sessionRoutes(d: SessionDeps): Router {
  const router = express.Router();
  const session = (user: { id: string; name: string }) => ({
    token: signToken(d.secret, {
      userId: user.id,
      name: user.name,
      expiresAt: Math.floor(d.now() / 1000) + d.sessionTtlSeconds,
      sessionId: newSessionId(),
    }),
    user,
  });

  router.post('/api/session', async (req, res) => {
    const body = parseBody(SessionCreate, req.body);
    if (!('name' in body))
      return void res.status(201).json(session({ id: `${ANONYMOUS_PREFIX}${randomId(10)}`, name: 'Anonymous' }));
    const user = await d.accounts.authenticate(body.name, body.password);
    if (!user) throw new HttpError(401, 'bad_credentials', 'wrong name or password');
    res.status(201).json(session(user));
  });

  router.delete('/api/session', async (req, res) => {
    res.setHeader('set-cookie', CLEAR_COOKIE);
    const { sessionId, expiresAt } = sessionOf(d, bearerToken(req) ?? cookieToken(req));
    if (!(await d.revocations.revoke(sessionId, expiresAt)))
      throw new HttpError(503, 'unavailable', 'too many sessions are revoked at the moment; try again later');
    res.json({ ok: true });
  });
  return router;
}
