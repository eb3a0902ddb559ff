import { signToken } from '../../src/token.js';
import { authenticate } from '../../ws-server/auth.js';
import { route } from '../../ws-server/routes.js';

const SECRET = 'k'.repeat(32) + '-test-secret';
const token = (userId: string, expiresAt = Math.floor(Date.now() / 1000) + 3600) =>
  signToken(SECRET, { userId, name: userId, expiresAt });
const auth = (path: string, query = '', cookie = '') => authenticate(route(path)!, query, cookie, SECRET);

describe('authenticate an upgrade', () => {
  test('no token: anonymous where allowed, 401 no_token where one is required', () => {
    expect(auth('/watch/g1')).toEqual({ ok: true, user: null });
    expect(auth('/lobby')).toEqual({ ok: true, user: null });
    expect(auth('/play/g1')).toMatchObject({ ok: false, status: '401 Unauthorized', code: 'no_token' });
    expect(auth('/user/alice')).toMatchObject({ ok: false, code: 'no_token', message: '/user needs a token' });
  });

  test('a token, from the query or the session cookie, names the user', () => {
    expect(auth('/play/g1', `token=${token('alice')}`)).toMatchObject({ ok: true, user: 'alice' });
    expect(auth('/watch/g1', '', `session=${token('bob')}`)).toMatchObject({ ok: true, user: 'bob' });
  });

  test('a token that does not verify: 401 bad_token, with the reason', () => {
    expect(auth('/watch/g1', 'token=nonsense')).toEqual({
      ok: false,
      status: '401 Unauthorized',
      code: 'bad_token',
      message: 'the token is malformed',
    });
    expect(auth('/play/g1', `token=${token('alice', 1)}`)).toMatchObject({ code: 'bad_token' });
  });

  test("someone else's user channel: 403", () => {
    expect(auth('/user/Alice', `token=${token('alice')}`)).toMatchObject({ ok: true, user: 'alice' });
    expect(auth('/user/bob', `token=${token('alice')}`)).toEqual({
      ok: false,
      status: '403 Forbidden',
      code: 'forbidden',
      message: 'this is not your user channel',
    });
  });
});
