import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/**
 * Session tokens: `<base64url payload>.<base64url HMAC-SHA256>`. lila-core signs them and
 * relays verify them with the same secret, without asking anyone. Each names its session with a
 * random id, so that one token can be revoked (`DELETE /api/session`) without touching the user's
 * other sessions: lila-core keeps the revoked ids and tells every relay (ws-server/revocations.ts).
 */

const Payload = z.object({
  /** user id */
  u: z.string().min(1),
  /** display name */
  n: z.string().min(1),
  /** expiry, seconds since the epoch */
  exp: z.number().int(),
  /** session id; absent from tokens made before there were any */
  sid: z.string().min(1).max(64).optional(),
});

/** `sessionId` may be left out when signing (tokens made before ids, and tests of them). */
export type Session = { userId: string; name: string; expiresAt: number; sessionId?: string };
/** A verified session always has an id: its own, or one derived from the token for an older token. */
export type VerifiedSession = Session & { sessionId: string };

const mac = (secret: string, body: string) => createHmac('sha256', secret).update(body).digest('base64url');

/** A new session's id: 128 random bits, 22 base64url characters. */
export const newSessionId = (): string => randomBytes(16).toString('base64url');

/**
 * The id of a token made before tokens carried one: a hash of the whole token, so that it too can be
 * revoked. Unguessable without the token, and its own: no two tokens share it.
 */
const derivedSessionId = (token: string): string => createHash('sha256').update(token).digest('base64url').slice(0, 22);

export function signToken(secret: string, session: Session): string {
  // Without a session id, `sid` is undefined and JSON.stringify leaves it out.
  const payload: z.infer<typeof Payload> = {
    u: session.userId,
    n: session.name,
    exp: session.expiresAt,
    sid: session.sessionId,
  };
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${body}.${mac(secret, body)}`;
}

export type Verified =
  { ok: true; session: VerifiedSession } | { ok: false; reason: 'malformed' | 'forged' | 'expired' | 'revoked' };

export type VerifyOptions = {
  /** Now, in seconds since the epoch (default: the wall clock). */
  nowSeconds?: number;
  /** Whether a session id was revoked: such a token is refused as `revoked`. */
  revoked?: (sessionId: string) => boolean;
};

export function verifyToken(secret: string, token: string, o: VerifyOptions = {}): Verified {
  const [body, sig, extra] = token.split('.');
  if (!body || !sig || extra !== undefined) return { ok: false, reason: 'malformed' };
  const expected = Buffer.from(mac(secret, body));
  const given = Buffer.from(sig);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: 'forged' };
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    // Not JSON: `json` stays undefined, which Payload refuses below as malformed.
  }
  const payload = Payload.safeParse(json);
  if (!payload.success) return { ok: false, reason: 'malformed' };
  const { u, n, exp, sid } = payload.data;
  if (exp <= (o.nowSeconds ?? Date.now() / 1000)) return { ok: false, reason: 'expired' };
  const sessionId = sid ?? derivedSessionId(token);
  if (o.revoked?.(sessionId)) return { ok: false, reason: 'revoked' };
  return { ok: true, session: { userId: u, name: n, expiresAt: exp, sessionId } };
}
