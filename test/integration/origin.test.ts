import { newGame, newUser, type User } from '../support/api.js';
import { connect, UpgradeRefused } from '../support/client.js';
import { startStack, type Stack } from '../../scripts/stack/stack.js';

/**
 * Cross-site sockets: a browser sends the `session` cookie with every WebSocket upgrade, whatever
 * page opens it, so any site a signed-in visitor opens could hold a socket in their name. An
 * upgrade signed in by the cookie must come from an allowed `Origin` (ALLOWED_ORIGINS; by default
 * loopback pages, the local edge's included), else 403 before the upgrade. A token in the query is
 * not ambient (the page had to hold it) and keeps working from anywhere, as does a socket with no
 * `Origin` at all (not a browser: browsers always send it on WebSocket upgrades).
 */

const EVIL = 'https://evil.example';

/** The upgrade's outcome: 101, or the refusal's status and JSON body. */
async function upgrade(url: string, headers: Record<string, string>): Promise<{ status: number; body?: unknown }> {
  try {
    const client = await connect(url, headers);
    client.close();
    await client.closed;
    return { status: 101 };
  } catch (err) {
    if (!(err instanceof UpgradeRefused)) throw err;
    return { status: err.status, body: JSON.parse(err.body) as unknown };
  }
}
const forbidden = {
  status: 403,
  body: { error: { code: 'forbidden_origin', message: expect.any(String) as unknown } },
};

describe('by default, loopback pages only', () => {
  let stack: Stack;
  let user: User, opponent: User;
  let gameId: string;
  beforeAll(async () => {
    stack = await startStack({ relays: 1 });
    [user, opponent] = [await newUser(stack, 'o'), await newUser(stack, 'p')];
    gameId = await newGame(stack, user, opponent);
  });
  afterAll(() => stack?.stop());
  const relay = () => stack.relayUrls[0];
  const cookie = () => `session=${user.token}`;

  test('a foreign page with the session cookie is refused with 403 before the upgrade, on every endpoint', async () => {
    for (const path of [`/user/${user.id}`, `/play/${gameId}`, `/watch/${gameId}`, '/lobby', '/site'])
      expect(await upgrade(`${relay()}${path}`, { cookie: cookie(), origin: EVIL })).toEqual(forbidden);
    // A page with an opaque origin (a sandboxed frame, a file) is not an allowed page either.
    expect(await upgrade(`${relay()}/user/${user.id}`, { cookie: cookie(), origin: 'null' })).toEqual(forbidden);
    // Lookalikes of loopback are not loopback.
    for (const origin of ['http://127.0.0.1.evil.example', 'http://localhost.evil.example:8080', 'ftp://127.0.0.1'])
      expect(await upgrade(`${relay()}/user/${user.id}`, { cookie: cookie(), origin })).toEqual(forbidden);
  });

  test('the edge’s own origin and other loopback pages are accepted with the cookie', async () => {
    for (const origin of ['http://127.0.0.1:8080', 'http://localhost:8080', 'http://localhost', 'http://[::1]:3000'])
      expect(await upgrade(`${relay()}/user/${user.id}`, { cookie: cookie(), origin })).toEqual({ status: 101 });
  });

  test('a token in the query is accepted whatever the origin', async () => {
    expect(await upgrade(`${relay()}/user/${user.id}?token=${user.token}`, { origin: EVIL })).toEqual({ status: 101 });
    // ...even with the cookie as well: the query's token is the one used.
    expect(await upgrade(`${relay()}/play/${gameId}?token=${user.token}`, { origin: EVIL, cookie: cookie() })).toEqual({
      status: 101,
    });
  });

  test('the cookie without any Origin (not a browser) is accepted; no token from a foreign page is anonymous and accepted', async () => {
    expect(await upgrade(`${relay()}/user/${user.id}`, { cookie: cookie() })).toEqual({ status: 101 });
    expect(await upgrade(`${relay()}/watch/${gameId}`, { origin: EVIL })).toEqual({ status: 101 });
  });

  test('refused upgrades are counted by code on /metrics', async () => {
    const text = await (await fetch(`${relay().replace(/^ws/, 'http')}/metrics`)).text();
    expect(text).toMatch(/^lila_relay_upgrades_refused_total\{code="forbidden_origin"\} ([6-9]|\d\d+)$/m);
  });
});

describe('ALLOWED_ORIGINS set: exactly those', () => {
  let stack: Stack;
  let user: User;
  beforeAll(async () => {
    stack = await startStack({
      relays: 1,
      env: { ALLOWED_ORIGINS: 'https://chess.example, https://www.chess.example:8443' },
    });
    user = await newUser(stack, 'o');
  });
  afterAll(() => stack?.stop());
  const at = () => `${stack.relayUrls[0]}/user/${user.id}`;

  test('the listed origins are accepted with the cookie; loopback and others are not', async () => {
    const cookie = `session=${user.token}`;
    for (const origin of ['https://chess.example', 'https://www.chess.example:8443'])
      expect(await upgrade(at(), { cookie, origin })).toEqual({ status: 101 });
    for (const origin of ['http://chess.example', 'https://www.chess.example', 'http://127.0.0.1:8080', EVIL])
      expect(await upgrade(at(), { cookie, origin })).toEqual(forbidden);
    expect(await upgrade(`${at()}?token=${user.token}`, { origin: EVIL })).toEqual({ status: 101 });
  });
});
