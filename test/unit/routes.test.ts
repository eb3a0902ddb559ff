import { route, tokenFrom } from '../../ws-server/routes.js';

describe('route', () => {
  test('/play/<game>: the game room, token required', () => {
    expect(route('/play/AbCd1234')).toEqual({
      endpoint: 'play',
      room: 'game:AbCd1234',
      tokenRequired: true,
      id: 'AbCd1234',
    });
  });

  test('/watch/<game>: the game room, no token needed', () => {
    expect(route('/watch/AbCd1234')).toEqual({
      endpoint: 'watch',
      room: 'game:AbCd1234',
      tokenRequired: false,
      id: 'AbCd1234',
    });
  });

  test('/user/<id>: the user room, token required', () => {
    expect(route('/user/alice_b-2')).toEqual({
      endpoint: 'user',
      room: 'user:alice_b-2',
      tokenRequired: true,
      id: 'alice_b-2',
    });
  });

  test("/user/<id>: an account's id is its lower-cased name; an anonymous id keeps its case", () => {
    expect(route('/user/Alice')).toMatchObject({ room: 'user:alice', id: 'alice' });
    expect(route('/user/anon-P7w3yOKiBj')).toMatchObject({ room: 'user:anon-P7w3yOKiBj', id: 'anon-P7w3yOKiBj' });
  });

  test('/tournament/<id>: the tournament room, for anyone', () => {
    expect(route('/tournament/abc')).toEqual({
      endpoint: 'tournament',
      room: 'tournament:abc',
      tokenRequired: false,
      id: 'abc',
    });
  });

  test('/lobby and /site', () => {
    expect(route('/lobby')).toEqual({ endpoint: 'lobby', room: 'lobby', tokenRequired: false });
    expect(route('/site')).toEqual({ endpoint: 'site', room: 'site', tokenRequired: false });
  });

  test('ids of 1 to 32 characters', () => {
    expect(route(`/play/${'a'.repeat(32)}`)?.id).toBe('a'.repeat(32));
    expect(route('/play/x')?.id).toBe('x');
    expect(route(`/play/${'a'.repeat(33)}`)).toBeUndefined();
  });

  test.each([
    '/',
    '',
    '/play',
    '/play/',
    '/play/abc/def',
    '/play/abc%20d',
    '/play/ab.cd',
    '/play/../site',
    '/lobby/',
    '/lobbyx',
    '/Lobby',
    '//lobby',
    '/watch',
    '/user/',
    '/tournament/',
    '/tournament/abc/def',
    'play/AbCd1234',
  ])('no route for %j', (path) => {
    expect(route(path)).toBeUndefined();
  });
});

describe('tokenFrom', () => {
  test('from the query', () => {
    expect(tokenFrom('token=abc.def', '')).toBe('abc.def');
    expect(tokenFrom('x=1&token=abc.def&y=2', '')).toBe('abc.def');
  });

  test('the query wins over the cookie', () => {
    expect(tokenFrom('token=fromquery', 'session=fromcookie')).toBe('fromquery');
  });

  test('an empty query token falls back to the cookie', () => {
    expect(tokenFrom('token=', 'session=fromcookie')).toBe('fromcookie');
  });

  test('from the session cookie among others, spaces trimmed', () => {
    expect(tokenFrom('', 'theme=dark; session=abc.def; lang=en')).toBe('abc.def');
    expect(tokenFrom('', 'session=abc.def')).toBe('abc.def');
  });

  test('a cookie value is percent-decoded, and may contain "="', () => {
    expect(tokenFrom('', 'session=a%2Eb')).toBe('a.b');
    expect(tokenFrom('', 'session=abc==.d=')).toBe('abc==.d=');
  });

  test('nothing when there is neither', () => {
    expect(tokenFrom('', '')).toBeUndefined();
    expect(tokenFrom('other=1', 'theme=dark; xsession=abc; sessionx=def')).toBeUndefined();
    expect(tokenFrom('', 'session')).toBeUndefined();
  });

  // The relay calls tokenFrom in the uWS upgrade handler with the raw Cookie header: a client can
  // send anything there. decodeURIComponent throws URIError on a malformed escape.
  test('a malformed percent-escape in the session cookie does not throw', () => {
    expect(() => tokenFrom('', 'session=abc%E0%A4%A')).not.toThrow();
    expect(() => tokenFrom('', 'session=%')).not.toThrow();
  });
});
