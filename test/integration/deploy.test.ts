import { getGame, newGame, newUser } from '../support/api.js';
import { openBrowser, type Browser } from '../support/browser.js';
import { OPERA_GAME, sanLine } from '../support/chess.js';
import { startStack, type Stack } from '../../scripts/stack/stack.js';

/**
 * Deploys and outages, the way browsers meet them: through nginx, with two relays, every socket
 * reconnecting as the protocol asks. Each test plays a real game through the event and asserts on
 * what every client received: all moves, each version once and in order, nothing applied twice.
 */

const { ucis } = sanLine(OPERA_GAME);
const PLIES = ucis.length;

type Table = { stack: Stack; gameId: string; white: Browser; black: Browser; watchers: Browser[]; all: Browser[] };

async function sitDown(stack: Stack): Promise<Table> {
  const [w, b] = [await newUser(stack, 'w'), await newUser(stack, 'b')];
  const gameId = await newGame(stack, w, b);
  const edge = stack.edgeUrl!.replace(/^http/, 'ws');
  const white = await openBrowser(edge, `/play/${gameId}`, w.token);
  const black = await openBrowser(edge, `/play/${gameId}`, b.token);
  const watchers = [await openBrowser(edge, `/watch/${gameId}`), await openBrowser(edge, `/watch/${gameId}`)];
  const all = [white, black, ...watchers];
  for (const browser of all) await browser.until((x) => x.v === 0, 'got the state');
  return { stack, gameId, white, black, watchers, all };
}

const moverOf = (t: Table, ply: number) => (ply % 2 === 0 ? t.white : t.black);

/** The mover moves; resolves once every client has the move. */
async function play(t: Table, ply: number): Promise<void> {
  moverOf(t, ply).move(ucis[ply], ply);
  await Promise.all(t.all.map((b) => b.until((x) => x.moves.length > ply, `got ply ${ply + 1}`, 20_000)));
}

/** Every client has the whole game, each version exactly once and in order, and the end. */
async function expectWholeGame(t: Table): Promise<void> {
  for (const b of t.all) {
    await b.until((x) => x.v === PLIES + 1, 'got the end', 20_000);
    expect(b.moves).toEqual(ucis);
    expect(b.outOfOrder).toEqual([]);
    expect(b.resyncs).toBe(0);
    expect(b.versions).toEqual([...Array(PLIES + 2).keys()]);
  }
  expect(t.white.acked.filter((a) => a % 2 === 0)).toEqual([...new Set(t.white.acked)]);
  expect(await getGame(t.stack, t.gameId)).toMatchObject({ moves: ucis, status: 'mate', v: PLIES + 1 });
}

/** Each scenario on its own stack of two relays behind nginx: what one breaks, the next does not inherit. */
function ownStack(env: NodeJS.ProcessEnv = {}): () => Stack {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ relays: 2, nginx: true, env });
  });
  afterAll(() => stack?.stop());
  return () => stack;
}

const connectionsOn = async (stack: Stack, relay: number): Promise<number> => {
  const res = await fetch(`${stack.relayUrls[relay].replace(/^ws/, 'http')}/health`);
  return ((await res.json()) as { connections: number }).connections;
};

describe('SIGTERM on a relay in mid-game', () => {
  const stackOf = ownStack({ DRAIN_SPREAD_MS: '1000' });

  test('its clients are told, reconnect through nginx to the other relay, and miss no event', async () => {
    const stack = stackOf();
    const t = await sitDown(stack);
    // nginx spread the four sockets over both relays.
    expect(await connectionsOn(stack, 0)).toBeGreaterThan(0);
    expect(await connectionsOn(stack, 1)).toBeGreaterThan(0);
    const onDraining = await connectionsOn(stack, 0);

    for (let ply = 0; ply < 10; ply++) await play(t, ply);
    const exited = stack.relays[0].stop('SIGTERM');
    // The game goes on while the relay drains and its clients move over.
    for (let ply = 10; ply < 14; ply++) await play(t, ply);
    expect(await exited).toBe(0);
    for (let ply = 14; ply < PLIES; ply++) await play(t, ply);
    await expectWholeGame(t);

    const moved = t.all.filter((b) => b.closes.includes(1012));
    expect(moved).toHaveLength(onDraining);
    for (const b of moved) {
      expect(b.others).toContainEqual({ t: 'serverRestart' });
      expect(b.connections).toBeGreaterThanOrEqual(2);
    }
    expect(await connectionsOn(stack, 1)).toBe(4);
    t.all.forEach((b) => b.close());
  }, 90_000);
});

describe('SIGKILL on a relay in mid-game', () => {
  const stackOf = ownStack();

  test('its clients lose their sockets, reconnect through nginx to the other relay, and catch up', async () => {
    const stack = stackOf();
    const t = await sitDown(stack);
    const onKilled = await connectionsOn(stack, 0);
    expect(onKilled).toBeGreaterThan(0);
    for (let ply = 0; ply < 8; ply++) await play(t, ply);

    await stack.relays[0].stop('SIGKILL');
    for (let ply = 8; ply < PLIES; ply++) await play(t, ply);
    await expectWholeGame(t);
    // No close frame from a killed process: the connection just drops (1006).
    expect(t.all.filter((b) => b.closes.includes(1006))).toHaveLength(onKilled);
    expect(await connectionsOn(stack, 1)).toBe(4);
    t.all.forEach((b) => b.close());
  }, 90_000);
});

describe('Redis stopped for 5 s in mid-game', () => {
  const stackOf = ownStack();

  test('no socket closes, a move sent meanwhile is applied once after, and the game goes on', async () => {
    const stack = stackOf();
    const t = await sitDown(stack);
    for (let ply = 0; ply < 6; ply++) await play(t, ply);

    await stack.redis.stop();
    const outage = new Promise((resolve) => setTimeout(resolve, 5000));
    // Held by white's relay: no ack while Redis is away.
    t.white.move(ucis[6], 6);
    await outage;
    expect(t.white.acked).not.toContain(6);
    await stack.startRedis();

    await Promise.all(t.all.map((b) => b.until((x) => x.moves.length === 7, 'got the held move', 20_000)));
    await t.white.until((x) => x.acked.includes(6), 'got the ack of the held move');
    for (let ply = 7; ply < PLIES; ply++) await play(t, ply);
    await expectWholeGame(t);
    for (const b of t.all) {
      expect(b.closes).toEqual([]);
      expect(b.connections).toBe(1);
    }
    t.all.forEach((b) => b.close());
  }, 90_000);
});

describe('lila-core stopped with SIGTERM and started again', () => {
  const stackOf = ownStack();

  test('a move sent while it was down is applied after; one in flight is saved once; nobody reloads', async () => {
    const stack = stackOf();
    const t = await sitDown(stack);
    for (let ply = 0; ply < 4; ply++) await play(t, ply);

    expect(await stack.core.stop('SIGTERM')).toBe(0);
    // While it is down: a move is held by the relay, any other action refused with a clear error.
    t.white.move(ucis[4], 4);
    t.watchers[0].send({ t: 'talk', d: 'anyone there?' });
    await t.watchers[0].until((x) => x.others.some((f) => f.t === 'error'), 'had its action refused');
    expect(t.watchers[0].others).toContainEqual({
      t: 'error',
      d: { code: 'unavailable', message: expect.stringMatching(/restarting/) },
    });
    expect(t.white.acked).not.toContain(4);
    await stack.startCore();
    await Promise.all(t.all.map((b) => b.until((x) => x.moves.length === 5, 'got the held move', 20_000)));
    await t.white.until((x) => x.acked.includes(4), 'got its ack');

    for (let ply = 5; ply < 10; ply++) await play(t, ply);
    // In flight as the deploy starts: the old lila-core finishes it, or the new one plays it.
    t.white.move(ucis[10], 10);
    expect(await stack.core.stop('SIGTERM')).toBe(0);
    await stack.startCore();
    await Promise.all(t.all.map((b) => b.until((x) => x.moves.length === 11, 'got the move in flight', 20_000)));
    await t.white.until((x) => x.acked.includes(10), 'got its ack');

    for (let ply = 11; ply < PLIES; ply++) await play(t, ply);
    await expectWholeGame(t);
    for (const b of t.all) expect(b.closes).toEqual([]);
    t.all.forEach((b) => b.close());
  }, 90_000);
});
