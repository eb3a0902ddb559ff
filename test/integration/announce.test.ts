import { randomBytes } from 'node:crypto';
import { call, newGame, newUser, type User } from '../support/api.js';
import { connect, settled, type Client, type Frame } from '../support/client.js';
import { startStack, type Stack } from '../../scripts/stack/stack.js';

/**
 * `POST /api/admin/announce`: an admin's message reaches every socket on every relay, whatever its
 * endpoint, once; anyone else is refused and nothing is sent.
 */

// The admin's name is chosen before the stack starts (ADMINS is read once), in mixed case:
// ADMINS holds user ids, which are lowercased names, and is read case-insensitively.
const ADMIN_NAME = `Boss${randomBytes(3).toString('hex')}`;

let stack: Stack;
let admin: User;
let sockets: { name: string; client: Client }[];

beforeAll(async () => {
  stack = await startStack({ relays: 2, env: { ADMINS: `someone-else,${ADMIN_NAME}` } });
  const created = await call(stack, 'POST', '/api/account', { name: ADMIN_NAME, password: 'hunter22' });
  expect(created.status).toBe(201);
  const session = await call(stack, 'POST', '/api/session', { name: ADMIN_NAME, password: 'hunter22' });
  admin = { ...(session.json.user as { id: string; name: string }), token: session.json.token as string };
  expect(admin.id).toBe(ADMIN_NAME.toLowerCase());

  const [white, black, fan] = await Promise.all([newUser(stack, 'aw'), newUser(stack, 'ab'), newUser(stack, 'af')]);
  const game = await newGame(stack, white, black);
  const [r0, r1] = stack.relayUrls;
  const open = async (name: string, url: string, first?: string) => {
    const client = await connect(url);
    if (first) expect(await client.next()).toMatchObject({ t: first });
    return { name, client };
  };
  sockets = await Promise.all([
    open('site, anonymous, relay 1', `${r0}/site`),
    open('site, signed in, relay 2', `${r1}/site?token=${fan.token}`),
    open('lobby, anonymous, relay 1', `${r0}/lobby`, 'seeks'),
    open('lobby, signed in, relay 2', `${r1}/lobby?token=${fan.token}`, 'seeks'),
    open('play, white, relay 1', `${r0}/play/${game}?token=${white.token}`, 'state'),
    open('play, black, relay 2', `${r1}/play/${game}?token=${black.token}`, 'state'),
    open('watch, relay 2', `${r1}/watch/${game}`, 'state'),
    open('user channel, relay 1', `${r0}/user/${fan.id}?token=${fan.token}`),
    open('the admin, site, relay 2', `${r1}/site?token=${admin.token}`),
  ]);
}, 60_000);
afterAll(async () => {
  sockets?.forEach(({ client }) => client.close());
  await stack?.stop();
});

const announcements = (client: Client) =>
  client.seen.filter((f): f is Frame => (f as Frame)?.t === 'announce').map((f) => f as unknown);

test("an admin's announcement reaches every socket of both relays, once, trimmed", async () => {
  const res = await call(stack, 'POST', '/api/admin/announce', { msg: '  Server restart in 5 minutes  ' }, admin.token);
  expect([res.status, res.json]).toEqual([200, { ok: true }]);
  const frame = { t: 'announce', d: { msg: 'Server restart in 5 minutes' } };
  for (const { name, client } of sockets) {
    expect([name, await client.next((f) => f.t === 'announce')]).toEqual([name, frame]);
    await settled(client);
    expect([name, announcements(client)]).toEqual([name, [frame]]);
  }
});

test('refused: 401 without a valid token, 403 for anyone not an admin, 400 for a missing, empty or too long message; nothing is sent', async () => {
  const [plain, anon] = await Promise.all([
    newUser(stack, 'np'),
    call(stack, 'POST', '/api/session', {}).then((r) => r.json.token as string),
  ]);
  const before = sockets.map(({ client }) => announcements(client).length);
  const cases: [string, unknown, string | undefined, number, string][] = [
    ['no token', { msg: 'hi' }, undefined, 401, 'no_token'],
    ['a forged token', { msg: 'hi' }, `${admin.token.slice(0, -2)}xx`, 401, 'bad_token'],
    ['a player', { msg: 'hi' }, plain.token, 403, 'forbidden'],
    ['an anonymous session', { msg: 'hi' }, anon, 403, 'forbidden'],
    ['a player, with an empty message', { msg: '' }, plain.token, 403, 'forbidden'],
    ['an empty message', { msg: '' }, admin.token, 400, 'bad_request'],
    ['a blank message', { msg: '   \n ' }, admin.token, 400, 'bad_request'],
    ['no message', {}, admin.token, 400, 'bad_request'],
    ['no body', undefined, admin.token, 400, 'bad_request'],
    ['a message that is not text', { msg: 42 }, admin.token, 400, 'bad_request'],
    ['501 characters', { msg: 'x'.repeat(501) }, admin.token, 400, 'bad_request'],
    ['a body that is not JSON', '{"msg":', admin.token, 400, 'bad_json'],
  ];
  for (const [what, body, token, status, code] of cases) {
    const res = await call(stack, 'POST', '/api/admin/announce', body, token);
    expect([what, res.status, res.json?.error?.code]).toEqual([what, status, code]);
  }
  for (const { client } of sockets) await settled(client);
  expect(sockets.map(({ client }) => announcements(client).length)).toEqual(before);

  // 500 characters is the most.
  const long = 'y'.repeat(500);
  expect((await call(stack, 'POST', '/api/admin/announce', { msg: long }, admin.token)).status).toBe(200);
  for (const { name, client } of sockets)
    expect([name, await client.next((f) => f.t === 'announce')]).toEqual([name, { t: 'announce', d: { msg: long } }]);
});
