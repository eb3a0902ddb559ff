import type { Router } from 'express';
import express, { type Request } from 'express';
import { ANONYMOUS_PREFIX } from '../../protocol/game.js';
import { SessionCreate } from '../../protocol/http.js';
import { newSessionId, signToken } from '../../src/token.js';
import { randomId } from '../ids.js';
import type { Accounts } from '../users/accounts.js';
import type { Revocations } from '../users/revocations.js';
import { bearerToken, cookieToken, requireSession, sessionOf, type SessionKeys } from './auth.js';
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
 * The token as the browser keeps it: out of the page's scripts' reach (HttpOnly), sent by the
 * browser to this site's API and sockets, not with other sites' POSTs (SameSite=Lax); over HTTPS
 * (nginx says so in X-Forwarded-Proto) only ever sent encrypted. Tokens are base64url and a dot:
 * nothing to escape.
 */
const sessionCookie = (req: Request, token: string, maxAgeSeconds: number): string =>
  `session=${token}; Path=/; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Lax` +
  (req.get('x-forwarded-proto') === 'https' ? '; Secure' : '');

/**
 * Sessions: `POST /api/session` signs in (or opens an anonymous session) with a token naming a new
 * session id, in the answer and as the `session` cookie; `GET /api/session` says whose session a
 * request carries; `DELETE /api/session` revokes the token it is called with (Bearer, or the `session`
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
    const user =
      'name' in body
        ? await d.accounts.authenticate(body.name, body.password)
        : { id: `${ANONYMOUS_PREFIX}${randomId(10)}`, name: 'Anonymous' };
    if (!user) throw new HttpError(401, 'bad_credentials', 'wrong name or password');
    const opened = session(user);
    res.setHeader('set-cookie', sessionCookie(req, opened.token, d.sessionTtlSeconds));
    res.status(201).json(opened);
  });

  // Who this is: a page cannot read its HttpOnly cookie, so it asks (web/src/session.ts).
  router.get('/api/session', (req, res) => {
    const { userId, name } = requireSession(d, req);
    res.json({ user: { id: userId, name } });
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
