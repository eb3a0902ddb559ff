import { createHmac } from 'node:crypto';
import { signToken, verifyToken, type Session } from '../../src/token.js';

const SECRET = 'k'.repeat(32) + '-test-secret';
const NOW = 1_700_000_000; // seconds
const session: Session = { userId: 'alice', name: 'Alice', expiresAt: NOW + 3600 };

/** A token whose body is `raw` (any bytes), correctly signed with `secret`. */
const signedBody = (raw: string, secret = SECRET) => {
  const body = Buffer.from(raw).toString('base64url');
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
};

describe('signToken / verifyToken', () => {
  test('round trip', () => {
    const token = signToken(SECRET, session);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(verifyToken(SECRET, token, NOW)).toEqual({ ok: true, session });
  });

  test('round trip with non-ASCII names', () => {
    const s: Session = { userId: 'zoë', name: 'Zoë 🐴 "Q"', expiresAt: NOW + 1 };
    expect(verifyToken(SECRET, signToken(SECRET, s), NOW)).toEqual({ ok: true, session: s });
  });

  test('the payload is readable base64url JSON (not encrypted)', () => {
    const [body] = signToken(SECRET, session).split('.');
    expect(JSON.parse(Buffer.from(body, 'base64url').toString())).toEqual({ u: 'alice', n: 'Alice', exp: NOW + 3600 });
  });

  test('defaults to the current time', () => {
    const nowSeconds = Math.floor(Date.now() / 1000);
    expect(verifyToken(SECRET, signToken(SECRET, { ...session, expiresAt: nowSeconds + 600 })).ok).toBe(true);
    expect(verifyToken(SECRET, signToken(SECRET, { ...session, expiresAt: nowSeconds - 600 }))).toEqual({
      ok: false,
      reason: 'expired',
    });
  });

  describe('forged', () => {
    test('signed with another secret', () => {
      const token = signToken('another secret of at least 32 chars!', session);
      expect(verifyToken(SECRET, token, NOW)).toEqual({ ok: false, reason: 'forged' });
    });

    test('payload changed after signing', () => {
      const [, sig] = signToken(SECRET, session).split('.');
      const body = Buffer.from(JSON.stringify({ u: 'admin', n: 'Alice', exp: NOW + 3600 })).toString('base64url');
      expect(verifyToken(SECRET, `${body}.${sig}`, NOW)).toEqual({ ok: false, reason: 'forged' });
    });

    test('expiry extended after signing', () => {
      const [, sig] = signToken(SECRET, session).split('.');
      const body = Buffer.from(JSON.stringify({ u: 'alice', n: 'Alice', exp: NOW + 999_999 })).toString('base64url');
      expect(verifyToken(SECRET, `${body}.${sig}`, NOW)).toEqual({ ok: false, reason: 'forged' });
    });

    test('one character of the signature changed', () => {
      const token = signToken(SECRET, session);
      const last = token.at(-1) === 'A' ? 'B' : 'A';
      expect(verifyToken(SECRET, token.slice(0, -1) + last, NOW)).toEqual({ ok: false, reason: 'forged' });
    });

    test('a truncated or padded signature', () => {
      const token = signToken(SECRET, session);
      expect(verifyToken(SECRET, token.slice(0, -1), NOW)).toEqual({ ok: false, reason: 'forged' });
      expect(verifyToken(SECRET, `${token}A`, NOW)).toEqual({ ok: false, reason: 'forged' });
    });

    test('an expired token with a bad signature is forged, not expired (the signature is checked first)', () => {
      const token = signToken('another secret of at least 32 chars!', { ...session, expiresAt: NOW - 1 });
      expect(verifyToken(SECRET, token, NOW)).toEqual({ ok: false, reason: 'forged' });
    });
  });

  describe('expired', () => {
    test('at the expiry second exactly', () => {
      expect(verifyToken(SECRET, signToken(SECRET, session), NOW + 3600)).toEqual({ ok: false, reason: 'expired' });
    });

    test('valid until just before it', () => {
      expect(verifyToken(SECRET, signToken(SECRET, session), NOW + 3599.999).ok).toBe(true);
    });

    test('long after', () => {
      expect(verifyToken(SECRET, signToken(SECRET, session), NOW + 86_400 * 365)).toEqual({
        ok: false,
        reason: 'expired',
      });
    });
  });

  describe('malformed', () => {
    test.each(['', '.', 'abc', 'abc.', '.abc', 'a.b.c', `${'x'.repeat(10)}..sig`])('%j', (token) => {
      expect(verifyToken(SECRET, token, NOW)).toEqual({ ok: false, reason: 'malformed' });
    });

    test('a valid token with a third part', () => {
      expect(verifyToken(SECRET, `${signToken(SECRET, session)}.extra`, NOW)).toEqual({
        ok: false,
        reason: 'malformed',
      });
    });

    test('correctly signed, but the body is not JSON', () => {
      expect(verifyToken(SECRET, signedBody('not json {'), NOW)).toEqual({ ok: false, reason: 'malformed' });
    });

    test.each([
      ['missing fields', { u: 'alice' }],
      ['empty user id', { u: '', n: 'Alice', exp: NOW + 60 }],
      ['empty name', { u: 'alice', n: '', exp: NOW + 60 }],
      ['fractional expiry', { u: 'alice', n: 'Alice', exp: NOW + 0.5 }],
      ['expiry as a string', { u: 'alice', n: 'Alice', exp: String(NOW + 60) }],
      ['JSON null', null],
      ['a JSON array', ['alice', 'Alice', NOW + 60]],
    ])('correctly signed, but the payload has %s', (_what, payload) => {
      expect(verifyToken(SECRET, signedBody(JSON.stringify(payload)), NOW)).toEqual({ ok: false, reason: 'malformed' });
    });
  });
});
