import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/**
 * Session tokens: `<base64url payload>.<base64url HMAC-SHA256>`. lila-core signs them and
 * relays verify them with the same secret, without asking anyone.
 */

const Payload = z.object({
  /** user id */
  u: z.string().min(1),
  /** display name */
  n: z.string().min(1),
  /** expiry, seconds since the epoch */
  exp: z.number().int(),
});
export type Session = { userId: string; name: string; expiresAt: number };

const mac = (secret: string, body: string) => createHmac('sha256', secret).update(body).digest('base64url');

export function signToken(secret: string, session: Session): string {
  const body = Buffer.from(JSON.stringify({ u: session.userId, n: session.name, exp: session.expiresAt })).toString(
    'base64url',
  );
  return `${body}.${mac(secret, body)}`;
}

export type Verified = { ok: true; session: Session } | { ok: false; reason: 'malformed' | 'forged' | 'expired' };

export function verifyToken(secret: string, token: string, nowSeconds = Date.now() / 1000): Verified {
  const [body, sig, extra] = token.split('.');
  if (!body || !sig || extra !== undefined) return { ok: false, reason: 'malformed' };
  const expected = Buffer.from(mac(secret, body));
  const given = Buffer.from(sig);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: 'forged' };
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  const payload = Payload.safeParse(json);
  if (!payload.success) return { ok: false, reason: 'malformed' };
  if (payload.data.exp <= nowSeconds) return { ok: false, reason: 'expired' };
  return { ok: true, session: { userId: payload.data.u, name: payload.data.n, expiresAt: payload.data.exp } };
}
