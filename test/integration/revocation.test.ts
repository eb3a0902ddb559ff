import { call, newUser, type User } from '../support/api.js';
import { connect, settled, UpgradeRefused, type Client } from '../support/client.js';
import { startStack, type Stack } from '../../scripts/stack/stack.js';
import { freePort, startNode, type Service } from '../../scripts/stack/services.js';
import { signToken } from '../../src/token.js';

/**
 * Signing out: `DELETE /api/session` revokes the token it is called with. Relays verify tokens by
 * themselves, so the revocation must reach every one of them: sockets opened with the token close
 * (4001) within a second on both relays, and the token is refused afterwards by the API and at
 * every upgrade, also after lila-core restarts and by a relay started after that.
 */

let stack: Stack;
const open: Client[] = [];
beforeAll(async () => {
  stack = await startStack({ relays: 2 });
}, 60_000);
afterAll(async () => {
  open.forEach((s) => s.close());
  await stack?.stop();
});

const REVOKED_CLOSE = 4001;

async function socket(url: string, headers: Record<string, string> = {}): Promise<Client> {
  const client = await connect(url, headers);
  open.push(client);
  await settled(client);
  return client;
}

/** Every way one token opens sockets: by query and by cookie, on both relays, in three endpoints. */
const socketsOf = async (user: User, token = user.token): Promise<Client[]> => [
  await socket(`${stack.relayUrls[0]}/site`, { cookie: `session=${token}` }),
  await socket(`${stack.relayUrls[1]}/lobby?token=${token}`),
  await socket(`${stack.relayUrls[0]}/user/${user.id}?token=${token}`),
  await socket(`${stack.relayUrls[1]}/user/${user.id}`, { cookie: `theme=dark; session=${token}` }),
];

function signOut(headers: Record<string, string>): Promise<Response> {
  return fetch(`${stack.httpUrl}/api/session`, { method: 'DELETE', headers });
}

/** The status of an upgrade with `token` (in the query), or 101 when it is accepted. */
async function upgradeStatus(url: string, token: string): Promise<number> {
  try {
    const client = await connect(`${url}?token=${token}`);
    client.close();
    return 101;
  } catch (err) {
    if (err instanceof UpgradeRefused) return err.status;
    throw err;
  }
}

/** What the API and every relay say to `token` now: the API's status on a call that needs a session, then each upgrade's. */
async function refusals(user: User, token: string, relayUrls = stack.relayUrls) {
  const api = await call(stack, 'POST', `/api/challenge/${user.id}`, { clock: { limit: 60, increment: 0 } }, token);
  return {
    api: api.status,
    apiCode: api.json?.error?.code as unknown,
    upgrades: await Promise.all(relayUrls.map((url) => upgradeStatus(`${url}/site`, token))),
  };
}

const signedIn = async (user: User) => {
  const res = await call(stack, 'POST', '/api/session', { name: user.name, password: 'hunter22' });
  return res.json.token as string;
};

test('with a Bearer token: 200, the cookie cleared, every socket of that token closed with 4001 within a second on both relays, and the token refused (401) by the API and at upgrade', async () => {
  const alice = await newUser(stack, 'alice');
  const otherToken = await signedIn(alice);
  const doomed = await socketsOf(alice);
  const kept = await socket(`${stack.relayUrls[1]}/user/${alice.id}?token=${otherToken}`);

  const start = Date.now();
  const res = await signOut({ authorization: `Bearer ${alice.token}` });
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ ok: true });
  expect(res.headers.get('set-cookie')).toMatch(/^session=;.*Max-Age=0/i);
  const closes = await Promise.all(doomed.map((s) => s.closed));
  const elapsed = Date.now() - start;
  expect(closes.map((c) => c.code)).toEqual(doomed.map(() => REVOKED_CLOSE));
  expect(elapsed).toBeLessThanOrEqual(1000);

  expect(await refusals(alice, alice.token)).toEqual({ api: 401, apiCode: 'bad_token', upgrades: [401, 401] });
  // The same user's other session is untouched.
  await settled(kept);
  expect(await upgradeStatus(`${stack.relayUrls[0]}/site`, otherToken)).toBe(101);
});

test('with the session cookie, as a browser signs out: that token is revoked, its sockets closed', async () => {
  const bob = await newUser(stack, 'bob');
  const doomed = await socketsOf(bob);
  const res = await signOut({ cookie: `lang=en; session=${bob.token}` });
  expect(res.status).toBe(200);
  expect(res.headers.get('set-cookie')).toMatch(/^session=;.*Max-Age=0/i);
  expect((await Promise.all(doomed.map((s) => s.closed))).map((c) => c.code)).toEqual(doomed.map(() => REVOKED_CLOSE));
  expect(await refusals(bob, bob.token)).toEqual({ api: 401, apiCode: 'bad_token', upgrades: [401, 401] });
});

test('an anonymous session, and a token made before tokens had a session id, are revoked alike', async () => {
  const anonymous = await call(stack, 'POST', '/api/session', {});
  const anon: User = {
    ...(anonymous.json.user as { id: string; name: string }),
    token: anonymous.json.token as string,
  };
  const carol = await newUser(stack, 'carol');
  const oldStyle = signToken(stack.secret, {
    userId: carol.id,
    name: carol.name,
    expiresAt: Math.floor(Date.now() / 1000) + 3600,
  });
  for (const [user, token] of [
    [anon, anon.token],
    [carol, oldStyle],
  ] as const) {
    const doomed = await socketsOf(user, token);
    expect((await signOut({ authorization: `Bearer ${token}` })).status).toBe(200);
    expect((await Promise.all(doomed.map((s) => s.closed))).map((c) => c.code)).toEqual(
      doomed.map(() => REVOKED_CLOSE),
    );
    expect((await refusals(user, token)).upgrades).toEqual([401, 401]);
  }
  // carol's own session, made by the API, is another token: it still works.
  expect((await refusals(carol, carol.token)).upgrades).toEqual([101, 101]);
});

test('without a token, or with a bad or already revoked one: 401, and the cookie is cleared all the same', async () => {
  const dave = await newUser(stack, 'dave');
  for (const headers of [{}, { authorization: 'Bearer nope.nope' }, { cookie: 'session=' }] as Record<
    string,
    string
  >[]) {
    const res = await signOut(headers);
    expect(res.status).toBe(401);
    expect(res.headers.get('set-cookie')).toMatch(/^session=;.*Max-Age=0/i);
  }
  expect((await signOut({ authorization: `Bearer ${dave.token}` })).status).toBe(200);
  const again = await signOut({ authorization: `Bearer ${dave.token}` });
  expect(again.status).toBe(401);
  expect(await again.json()).toEqual({ error: { code: 'bad_token', message: expect.stringMatching(/revoked/) } });
});

test('a revocation survives a lila-core restart: refused by the API, by the relays, and by a relay started afterwards', async () => {
  const erin = await newUser(stack, 'erin');
  expect((await signOut({ authorization: `Bearer ${erin.token}` })).status).toBe(200);

  await stack.core.stop('SIGKILL');
  await stack.startCore();
  const port = await freePort();
  let late: Service | undefined;
  try {
    late = await startNode(
      'relay',
      {
        REDIS_URL: stack.redisUrl,
        SESSION_SECRET: stack.secret,
        DATA_DIR: stack.dir,
        LOG_LEVEL: 'warn',
        PORT: String(port),
        RELAY_ID: 'relay-late',
      },
      undefined,
      'relay-late',
    );
    const relays = [...stack.relayUrls, `ws://127.0.0.1:${port}`];
    expect(await refusals(erin, erin.token, relays)).toEqual({
      api: 401,
      apiCode: 'bad_token',
      upgrades: [401, 401, 401],
    });
    // The late relay takes sessions that are not revoked.
    expect(await upgradeStatus(`ws://127.0.0.1:${port}/site`, await signedIn(erin))).toBe(101);
  } finally {
    await late?.stop('SIGKILL');
  }
}, 60_000);
