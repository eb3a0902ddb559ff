import { Redis } from 'ioredis';
import { SITE_FIGURES } from '../../scripts/fixtures/format.js';
import { acceptedChallenge, call, newGame, newUser } from '../support/api.js';
import { connect, type Client, type Frame } from '../support/client.js';
import { startStack, type Stack } from '../../scripts/stack/stack.js';

/**
 * lila-core restarted with sockets open: the relays report every socket again (`sync`, then
 * `sockets`), so crowds, `gone` and seeks are right again; and frames of a user's channel missed
 * while no socket listened (a challenge, a redirect) come again when a socket opens or a relay
 * subscribes again. Recovery times are printed, not asserted.
 */
let stack: Stack;
let redis: Redis;
const open: Client[] = [];
beforeAll(async () => {
  stack = await startStack({ relays: 2 });
  redis = new Redis(stack.redisUrl);
}, 60_000);
afterAll(async () => {
  open.forEach((s) => s.close());
  redis?.disconnect();
  await stack?.stop();
});

const socket = async (relay: number, path: string, ignore?: Set<string>) => {
  const client = await connect(`${stack.relayUrls[relay]}${path}`, {}, ignore);
  open.push(client);
  return client;
};

async function restartCore(): Promise<number> {
  await stack.core.stop('SIGKILL');
  await stack.startCore();
  return Date.now();
}

test('after a lila-core restart: the crowd is right again, and a player who then leaves is `gone`', async () => {
  const [white, black] = [await newUser(stack, 'w'), await newUser(stack, 'b')];
  const gameId = await newGame(stack, white, black);
  const w = await socket(0, `/play/${gameId}?token=${white.token}`);
  const b = await socket(1, `/play/${gameId}?token=${black.token}`);
  // The crowd is the subject here.
  const watcher = await socket(1, `/watch/${gameId}`, new Set(SITE_FIGURES));
  for (const s of [w, b, watcher]) await s.next((f) => f.t === 'state');
  await watcher.next((f) => f.t === 'crowd' && (f.d as { watchers: number }).watchers === 1);

  const restarted = await restartCore();
  // A restarted lila-core knew no socket: the relays' reports (each at its next tick) bring all three back.
  const full = (f: Frame) => f.t === 'crowd' && JSON.stringify(f.d) === '{"white":true,"black":true,"watchers":1}';
  await watcher.next(full, 10_000);
  const crowdAfter = Date.now() - restarted;

  // White leaves: lila-core, knowing the socket again, tells black.
  w.close();
  const left = Date.now();
  expect(await b.next((f) => f.t === 'goneIn', 15_000)).toMatchObject({ t: 'goneIn' });
  process.stdout.write(
    `core restart: crowd right again ${crowdAfter} ms after lila-core was up; goneIn ${Date.now() - left} ms after the leave (5 s by design)\n`,
  );
}, 60_000);

test('after a lila-core restart: the seek of a lobby socket that then closes expires', async () => {
  const [seeker, other] = [await newUser(stack, 's'), await newUser(stack, 'o')];
  const lobby = await socket(0, `/lobby?token=${seeker.token}`);
  const looker = await socket(1, `/lobby?token=${other.token}`);
  for (const s of [lobby, looker]) await s.next((f) => f.t === 'seeks');
  await restartCore();
  // The restarted lila-core's empty list reaches both lobbies first.
  for (const s of [lobby, looker]) await s.next((f) => f.t === 'seeks', 10_000);
  // Sent before the relays' reports, it would be refused unavailable; retried until it lands.
  let added: Frame | undefined;
  while (!added) {
    lobby.send({ t: 'seek', d: { clock: { limit: 300, increment: 0 }, color: 'random', rated: false } });
    added = await looker.next((f) => f.t === 'seekAdd', 1_000).catch(() => undefined);
  }
  const { id } = added.d as { id: string };
  lobby.close();
  const closed = Date.now();
  expect(await looker.next((f) => f.t === 'seekRemove', 15_000)).toMatchObject({ d: { id } });
  process.stdout.write(`core restart: seek gone ${Date.now() - closed} ms after its socket closed (5 s by design)\n`);
}, 60_000);

test('a socket that opens gets its user’s waiting challenge and the redirect to a game just started', async () => {
  const [alice, bob, carol] = [await newUser(stack, 'a'), await newUser(stack, 'b'), await newUser(stack, 'c')];
  const made = await call(
    stack,
    'POST',
    `/api/challenge/${bob.id}`,
    { clock: { limit: 300, increment: 0 }, color: 'white' },
    alice.token,
  );
  expect(made.status).toBe(201);
  // Published when bob had no socket: the socket he opens now gets it.
  const bobs = await socket(0, `/user/${bob.id}?token=${bob.token}`);
  expect(await bobs.next((f) => f.t === 'challenge')).toMatchObject({ d: { id: made.json.challenge.id } });

  // A game of carol's starts while she has no socket: her /site socket is sent to it.
  const { gameId } = await acceptedChallenge(stack, carol, alice);
  const carols = await socket(1, `/site?token=${carol.token}`);
  expect(await carols.next((f) => f.t === 'redirect')).toEqual({ t: 'redirect', d: { id: gameId } });
  // Her socket in that very game is not.
  const inGame = await socket(1, `/play/${gameId}?token=${carol.token}`);
  await inGame.next((f) => f.t === 'state');
  await new Promise<void>((resolve) => {
    inGame.send(null);
    void inGame.next((f) => (f as unknown) === 0).then(() => resolve());
  });
  expect(inGame.seen.filter((f) => (f as Frame).t === 'redirect')).toEqual([]);

  // Redis drops relay 2's subscription: once it is back, carol's socket there is told again (her
  // socket in the game is closed by then: one there would mean she has found it).
  inGame.close();
  const list = (await redis.call('CLIENT', 'LIST')) as string;
  const relaySub = list.split('\n').find((l) => l.includes(' name=relay-sub:relay-2 '));
  const cut = Date.now();
  await redis.call('CLIENT', 'KILL', 'ID', /id=(\d+)/.exec(relaySub!)![1]);
  expect(await carols.next((f) => f.t === 'redirect', 10_000)).toEqual({ t: 'redirect', d: { id: gameId } });
  process.stdout.write(`relay resubscribed: redirect sent again ${Date.now() - cut} ms after the cut\n`);
}, 60_000);
