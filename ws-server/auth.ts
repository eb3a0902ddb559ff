import { verifyToken } from '../src/token.js';
import { originAllowed, type AllowedOrigins } from './origins.js';
import { tokenFrom, tokenSource, type Route } from './routes.js';

/** An upgrade refused: the HTTP status line, and the code and message of its API error. */
export type Refusal = { status: string; code: string; message: string };

/** The sessions lila-core revoked, as this relay knows them (revocations.ts). */
export type RevokedSessions = { readonly known: boolean; has: (sessionId: string) => boolean };

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
  revoked?: RevokedSessions,
): { ok: true; user: string | null; session?: string } | ({ ok: false } & Refusal) {
  const token = tokenFrom(query, cookie);
  let user: string | null = null;
  let session: string | undefined;
  if (token) {
    const verified = verifyToken(secret, token, { revoked: revoked?.has });
    if (!verified.ok)
      return { ok: false, status: '401 Unauthorized', code: 'bad_token', message: `the token is ${verified.reason}` };
    // Not yet told which sessions are revoked (lila-core away since this relay started): nginx tries another.
    if (revoked && !revoked.known)
      return { ok: false, status: '503 Service Unavailable', code: 'unavailable', message: 'this relay is starting' };
    user = verified.session.userId;
    session = verified.session.sessionId;
  } else if (target.tokenRequired) {
    return { ok: false, status: '401 Unauthorized', code: 'no_token', message: `/${target.endpoint} needs a token` };
  }
  if (target.endpoint === 'user' && target.id !== user)
    return { ok: false, status: '403 Forbidden', code: 'forbidden', message: 'this is not your user channel' };
  return { ok: true, user, session };
}

/**
 * A socket signed in by the session cookie must come from a page of an allowed origin: a browser
 * attaches the cookie whichever site's page opens the socket, and always says which (`Origin`).
 * Without `Origin` the client is not a browser, so no other site is at work: accepted. A token in
 * the query is accepted whatever the origin: a page had to hold it. Refused: 403 `forbidden_origin`.
 */
export function crossSite(query: string, cookie: string, origin: string, allowed: AllowedOrigins): Refusal | undefined {
  if (!origin || tokenSource(query, cookie)?.from !== 'cookie' || originAllowed(origin, allowed)) return undefined;
  return {
    status: '403 Forbidden',
    code: 'forbidden_origin',
    message: 'a socket signed in by the session cookie must be opened by a page of this site',
  };
}
