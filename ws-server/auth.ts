import { verifyToken } from '../src/token.js';
import { tokenFrom, type Route } from './routes.js';

/** An upgrade refused: the HTTP status line, and the code and message of its API error. */
export type Refusal = { status: string; code: string; message: string };

/**
 * Who opens a socket to `target`: the user of its token (`?token=`, else the session cookie), null
 * without one. Refused: a token that does not verify, no token where one is required, and a user
 * channel that is not the user's own.
 */
export function authenticate(
  target: Route,
  query: string,
  cookie: string,
  secret: string,
): { ok: true; user: string | null } | ({ ok: false } & Refusal) {
  const token = tokenFrom(query, cookie);
  let user: string | null = null;
  if (token) {
    const verified = verifyToken(secret, token);
    if (!verified.ok)
      return { ok: false, status: '401 Unauthorized', code: 'bad_token', message: `the token is ${verified.reason}` };
    user = verified.session.userId;
  } else if (target.tokenRequired) {
    return { ok: false, status: '401 Unauthorized', code: 'no_token', message: `/${target.endpoint} needs a token` };
  }
  if (target.endpoint === 'user' && target.id?.toLowerCase() !== user)
    return { ok: false, status: '403 Forbidden', code: 'forbidden', message: 'this is not your user channel' };
  return { ok: true, user };
}
