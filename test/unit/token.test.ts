import { createHmac } from 'node:crypto';
import { newSessionId, signToken, verifyToken, type Session } from '../../src/token.js';

const SECRET = 'k'.repeat(32) + '-test-secret';
const NOW = 1_700_000_000; // seconds
const session: Session = { userId: 'alice', name: 'Alice', expiresAt: NOW + 3600, sessionId: 'Yq3b2Zt0xW4v' };

/** A token whose body is `raw` (any bytes), correctly signed with `secret`. */
const signedBody = (raw: string, secret = SECRET) => {
  const body = Buffer.from(raw).toString('base64url');
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
};

describe('signToken / verifyToken', () => {
  test('round trip', () => {
    const token = signToken(SECRET, session);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(verifyToken(SECRET, token, { nowSeconds: NOW })).toEqual({ ok: true, session });
  });

  test('round trip with non-ASCII names', () => {
    const s: Session = { userId: 'zoë', name: 'Zoë 🐴 "Q"', expiresAt: NOW + 1, sessionId: 's1' };
    expect(verifyToken(SECRET, signToken(SECRET, s), { nowSeconds: NOW })).toEqual({ ok: true, session: s });
  });

  test('the payload is readable base64url JSON (not encrypted)', () => {
    const [body] = signToken(SECRET, session).split('.');
    expect(JSON.parse(Buffer.from(body, 'base64url').toString())).toEqual({
      u: 'alice',
      n: 'Alice',
      exp: NOW + 3600,
      sid: 'Yq3b2Zt0xW4v',
    });
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
      expect(verifyToken(SECRET, token, { nowSeconds: NOW })).toEqual({ ok: false, reason: 'forged' });
    });

    test('payload changed after signing', () => {
      const [, sig] = signToken(SECRET, session).split('.');
      const body = Buffer.from(JSON.stringify({ u: 'admin', n: 'Alice', exp: NOW + 3600 })).toString('base64url');
      expect(verifyToken(SECRET, `${body}.${sig}`, { nowSeconds: NOW })).toEqual({ ok: false, reason: 'forged' });
    });

    test('expiry extended after signing', () => {
      const [, sig] = signToken(SECRET, session).split('.');
      const body = Buffer.from(JSON.stringify({ u: 'alice', n: 'Alice', exp: NOW + 999_999 })).toString('base64url');
      expect(verifyToken(SECRET, `${body}.${sig}`, { nowSeconds: NOW })).toEqual({ ok: false, reason: 'forged' });
    });

    test('one character of the signature changed', () => {
      const token = signToken(SECRET, session);
      const last = token.at(-1) === 'A' ? 'B' : 'A';
      expect(verifyToken(SECRET, token.slice(0, -1) + last, { nowSeconds: NOW })).toEqual({
        ok: false,
        reason: 'forged',
      });
    });

    test('a truncated or padded signature', () => {
      const token = signToken(SECRET, session);
      expect(verifyToken(SECRET, token.slice(0, -1), { nowSeconds: NOW })).toEqual({ ok: false, reason: 'forged' });
      expect(verifyToken(SECRET, `${token}A`, { nowSeconds: NOW })).toEqual({ ok: false, reason: 'forged' });
    });

    test('an expired token with a bad signature is forged, not expired (the signature is checked first)', () => {
      const token = signToken('another secret of at least 32 chars!', { ...session, expiresAt: NOW - 1 });
      expect(verifyToken(SECRET, token, { nowSeconds: NOW })).toEqual({ ok: false, reason: 'forged' });
    });
  });

  describe('expired', () => {
    test('at the expiry second exactly', () => {
      expect(verifyToken(SECRET, signToken(SECRET, session), { nowSeconds: NOW + 3600 })).toEqual({
        ok: false,
        reason: 'expired',
      });
    });

    test('valid until just before it', () => {
      expect(verifyToken(SECRET, signToken(SECRET, session), { nowSeconds: NOW + 3599.999 }).ok).toBe(true);
    });

    test('long after', () => {
      expect(verifyToken(SECRET, signToken(SECRET, session), { nowSeconds: NOW + 86_400 * 365 })).toEqual({
        ok: false,
        reason: 'expired',
      });
    });
  });

  describe('malformed', () => {
    test.each(['', '.', 'abc', 'abc.', '.abc', 'a.b.c', `${'x'.repeat(10)}..sig`])('%j', (token) => {
      expect(verifyToken(SECRET, token, { nowSeconds: NOW })).toEqual({ ok: false, reason: 'malformed' });
    });

    test('a valid token with a third part', () => {
      expect(verifyToken(SECRET, `${signToken(SECRET, session)}.extra`, { nowSeconds: NOW })).toEqual({
        ok: false,
        reason: 'malformed',
      });
    });

    test('correctly signed, but the body is not JSON', () => {
      expect(verifyToken(SECRET, signedBody('not json {'), { nowSeconds: NOW })).toEqual({
        ok: false,
        reason: 'malformed',
      });
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
      expect(verifyToken(SECRET, signedBody(JSON.stringify(payload)), { nowSeconds: NOW })).toEqual({
        ok: false,
        reason: 'malformed',
      });
    });
  });

  describe('session ids and revocation', () => {
    const old = { userId: 'alice', name: 'Alice', expiresAt: NOW + 3600 };

    test('a token made before session ids verifies, with an id derived from the token: stable, and its own', () => {
      const token = signToken(SECRET, old);
      expect(JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString())).toEqual({
        u: 'alice',
        n: 'Alice',
        exp: NOW + 3600,
      });
      const verified = verifyToken(SECRET, token, { nowSeconds: NOW });
      expect(verified).toEqual({ ok: true, session: { ...old, sessionId: expect.stringMatching(/^[\w-]{22}$/) } });
      const again = verifyToken(SECRET, token, { nowSeconds: NOW });
      const other = verifyToken(SECRET, signToken(SECRET, { ...old, expiresAt: NOW + 3601 }), { nowSeconds: NOW });
      if (!verified.ok || !again.ok || !other.ok) throw new Error('not verified');
      expect(again.session.sessionId).toBe(verified.session.sessionId);
      expect(other.session.sessionId).not.toBe(verified.session.sessionId);
    });

    test('newSessionId: random, 22 base64url characters', () => {
      const ids = new Set(Array.from({ length: 100 }, () => newSessionId()));
      expect(ids.size).toBe(100);
      for (const id of ids) expect(id).toMatch(/^[\w-]{22}$/);
    });

    test('a revoked session is refused as revoked; others pass; a forged or expired token says so first', () => {
      const revoked = (id: string) => id === session.sessionId;
      const token = signToken(SECRET, session);
      expect(verifyToken(SECRET, token, { nowSeconds: NOW, revoked })).toEqual({ ok: false, reason: 'revoked' });
      const legacy = signToken(SECRET, old);
      const legacyId = (verifyToken(SECRET, legacy, { nowSeconds: NOW }) as { session: Session }).session.sessionId;
      expect(verifyToken(SECRET, legacy, { nowSeconds: NOW, revoked: (id) => id === legacyId })).toEqual({
        ok: false,
        reason: 'revoked',
      });
      expect(
        verifyToken(SECRET, signToken(SECRET, { ...session, sessionId: 'other' }), { nowSeconds: NOW, revoked }).ok,
      ).toBe(true);
      expect(verifyToken(SECRET, token, { nowSeconds: NOW + 3600, revoked })).toEqual({ ok: false, reason: 'expired' });
      expect(verifyToken('another secret of at least 32 chars!', token, { nowSeconds: NOW, revoked })).toEqual({
        ok: false,
        reason: 'forged',
      });
    });

    test('a session id that is not a short string is malformed', () => {
      for (const sid of ['', 'x'.repeat(65), 42])
        expect(
          verifyToken(SECRET, signedBody(JSON.stringify({ u: 'a', n: 'A', exp: NOW + 60, sid })), { nowSeconds: NOW }),
        ).toEqual({
          ok: false,
          reason: 'malformed',
        });
    });
  });
});
