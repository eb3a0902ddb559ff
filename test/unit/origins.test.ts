import { crossSite } from '../../ws-server/auth.js';
import { AllowedOriginsEnv, originAllowed, type AllowedOrigins } from '../../ws-server/origins.js';

const parse = (value?: string): AllowedOrigins => AllowedOriginsEnv.parse(value);
const fails = (value: string): string => {
  const result = AllowedOriginsEnv.safeParse(value);
  expect(result.success).toBe(false);
  return result.error?.issues[0]?.message ?? '';
};

describe('ALLOWED_ORIGINS', () => {
  test('defaults to loopback pages, and nothing else', () => {
    expect(parse(undefined)).toEqual({ loopback: true, exact: new Set() });
  });

  test('origins and the word loopback, comma-separated, as browsers serialise them', () => {
    expect(parse(' https://Chess.example , https://chess.example:443/, http://play.example:8080,loopback')).toEqual({
      loopback: true,
      exact: new Set(['https://chess.example', 'http://play.example:8080']),
    });
    expect(parse('https://chess.example')).toEqual({ loopback: false, exact: new Set(['https://chess.example']) });
  });

  test('a path, a query, credentials, another scheme, or nothing at all is a configuration error', () => {
    for (const bad of [
      'https://chess.example/app',
      'https://chess.example?x=1',
      'https://u:p@chess.example',
      'ws://chess.example',
      'chess.example',
      '*',
      ' , ',
    ])
      expect(fails(bad)).toMatch(/origin/);
  });
});

describe('originAllowed', () => {
  const byDefault = parse(undefined);
  const listed = parse('https://chess.example,http://play.example:8080');

  test('by default: http(s) pages on localhost, 127.0.0.0/8 or [::1], any port (the local edge included)', () => {
    for (const origin of [
      'http://127.0.0.1:8080',
      'http://localhost:8080',
      'https://localhost',
      'http://127.0.0.2:3000',
      'http://[::1]:9664',
    ])
      expect(originAllowed(origin, byDefault)).toBe(true);
  });

  test('by default: every other page is refused, lookalikes and opaque origins included', () => {
    for (const origin of [
      'https://evil.example',
      'http://127.0.0.1.evil.example',
      'http://localhost.evil.example',
      'http://128.0.0.1',
      'null',
      '',
      'file://',
      'chrome-extension://abc',
    ])
      expect(originAllowed(origin, byDefault)).toBe(false);
  });

  test('a list: exactly its origins, compared as serialised (case, default port)', () => {
    expect(originAllowed('https://chess.example', listed)).toBe(true);
    expect(originAllowed('https://CHESS.example:443', listed)).toBe(true);
    expect(originAllowed('http://play.example:8080', listed)).toBe(true);
    for (const origin of [
      'http://chess.example',
      'https://chess.example:8443',
      'https://www.chess.example',
      'http://play.example',
      'http://127.0.0.1:8080',
    ])
      expect(originAllowed(origin, listed)).toBe(false);
  });
});

describe('crossSite', () => {
  const allowed = parse(undefined);
  const evil = 'https://evil.example';

  test('the session cookie from a foreign page: 403 forbidden_origin', () => {
    expect(crossSite('', 'session=abc', evil, allowed)).toEqual({
      status: '403 Forbidden',
      code: 'forbidden_origin',
      message: expect.any(String),
    });
    expect(crossSite('v=3', 'theme=dark; session=abc', 'null', allowed)).toMatchObject({ code: 'forbidden_origin' });
  });

  test('accepted: an allowed page, no Origin (not a browser), a token in the query, or no session cookie at all', () => {
    expect(crossSite('', 'session=abc', 'http://127.0.0.1:8080', allowed)).toBeUndefined();
    expect(crossSite('', 'session=abc', '', allowed)).toBeUndefined();
    expect(crossSite('token=abc', 'session=abc', evil, allowed)).toBeUndefined();
    expect(crossSite('', 'theme=dark', evil, allowed)).toBeUndefined();
    expect(crossSite('', '', evil, allowed)).toBeUndefined();
  });
});
