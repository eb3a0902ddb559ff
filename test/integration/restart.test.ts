import { getGame, newGame, newUser } from '../support/api.js';
import { OPERA_GAME, sanLine } from '../support/chess.js';
import { connect, refusedStatus, type Client, type Frame } from '../support/client.js';
import { startStack, type Stack } from '../../scripts/stack/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ relays: 2 });
});
afterAll(() => stack?.stop());

const versioned = (socket: Client) =>
  socket.seen.filter((f): f is Frame => typeof f === 'object' && f !== null && 'v' in f).map((f) => f.v);

test('lila-core killed mid-game continues from the same position and version; a move sent meanwhile is held, not lost', async () => {
  const [white, black] = [await newUser(stack, 'w'), await newUser(stack, 'b')];
  const gameId = await newGame(stack, white, black);
  const w = await connect(`${stack.relayUrls[0]}/play/${gameId}?token=${white.token}`);
  const b = await connect(`${stack.relayUrls[1]}/play/${gameId}?token=${black.token}`);
  const spectator = await connect(`${stack.relayUrls[1]}/watch/${gameId}`);
  const sockets = [w, b, spectator];
  for (const s of sockets) await s.next((f) => f.t === 'state');

  const { ucis, fen } = sanLine(OPERA_GAME);
  const play = async (ply: number) => {
    const mover = ply % 2 === 0 ? w : b;
    mover.send({ t: 'move', d: { u: ucis[ply], a: ply } });
    expect(await mover.next((f) => f.t === 'ack', 10_000)).toEqual({ t: 'ack', d: ply });
    for (const s of sockets)
      expect(await s.next((f) => f.t === 'move', 10_000)).toMatchObject({ v: ply + 1, d: { uci: ucis[ply] } });
  };
  for (let ply = 0; ply < 10; ply++) await play(ply);
  const before = await getGame(stack, gameId);

  await stack.core.stop('SIGKILL');
  // White moves while nobody runs the game: the relay holds the move and does not ack it yet.
  w.send({ t: 'move', d: { u: ucis[10], a: 10 } });
  // A ping still works: the relay itself never went away.
  w.send(null);
  expect(await w.next()).toBe(0);

  await stack.startCore();
  expect(await w.next((f) => f.t === 'ack', 10_000)).toEqual({ t: 'ack', d: 10 });
  for (const s of sockets)
    expect(await s.next((f) => f.t === 'move', 10_000)).toMatchObject({ v: 11, d: { ply: 11, uci: ucis[10] } });

  const after = await getGame(stack, gameId);
  expect(after.moves).toEqual([...before.moves, ucis[10]]);
  expect(after.v).toBe(before.v + 1);

  for (let ply = 11; ply < ucis.length; ply++) await play(ply);
  for (const s of sockets) {
    expect(await s.next((f) => f.t === 'end')).toMatchObject({
      v: ucis.length + 1,
      d: { status: 'mate', winner: 'white' },
    });
    expect(versioned(s)).toEqual([...Array(ucis.length + 2).keys()]);
  }
  expect(await getGame(stack, gameId)).toMatchObject({ moves: ucis, fen, status: 'mate', v: ucis.length + 1 });

  // A new socket after the restart starts from the same history.
  const late = await connect(`${stack.relayUrls[0]}/watch/${gameId}`);
  expect(await late.next()).toMatchObject({ t: 'state', v: ucis.length + 1, d: { moves: ucis } });
  [...sockets, late].forEach((s) => s.close());
});

test('while lila-core is down, actions other than moves are refused with an error, and joins get 504', async () => {
  const [white, black] = [await newUser(stack, 'w'), await newUser(stack, 'b')];
  const gameId = await newGame(stack, white, black);
  const w = await connect(`${stack.relayUrls[0]}/play/${gameId}?token=${white.token}`);
  await w.next((f) => f.t === 'state');

  await stack.core.stop('SIGKILL');
  w.send({ t: 'resign' });
  expect(await w.next((f) => f.t === 'error')).toMatchObject({ d: { code: 'unavailable' } });
  expect(await refusedStatus(`${stack.relayUrls[1]}/watch/${gameId}`)).toBe(504);

  await stack.startCore();
  expect(await getGame(stack, gameId)).toMatchObject({ status: 'started', v: 0 });
  w.close();
});

test('lila-core killed after chat it did not write: the game resumes after its reserved versions, and every socket’s versions stay contiguous', async () => {
  const [white, black, carol] = [await newUser(stack, 'w'), await newUser(stack, 'b'), await newUser(stack, 'c')];
  const gameId = await newGame(stack, white, black);
  const w = await connect(`${stack.relayUrls[0]}/play/${gameId}?token=${white.token}`);
  const b = await connect(`${stack.relayUrls[1]}/play/${gameId}?token=${black.token}`);
  const spectator = await connect(`${stack.relayUrls[1]}/watch/${gameId}?token=${carol.token}`);
  const sockets = [w, b, spectator];
  for (const s of sockets) await s.next((f) => f.t === 'state');

  let v = 0;
  const everyoneAt = async (version: number) => {
    for (const s of sockets) await s.next((f) => f.v === version, 10_000);
  };
  w.send({ t: 'move', d: { u: 'e2e4', a: 1 } });
  await everyoneAt(++v);
  b.send({ t: 'move', d: { u: 'e7e5', a: 1 } });
  await everyoneAt(++v);
  // Chat: the first line reserves versions ahead (one write), the next ones are not written.
  for (const [s, text] of [
    [w, 'hi'],
    [b, 'hello'],
    [spectator, 'go'],
    [w, 'good luck'],
  ] as const) {
    s.send({ t: 'talk', d: text });
    await everyoneAt(++v);
  }

  await stack.core.stop('SIGKILL');
  await stack.startCore();
  // The next event comes after every version the lost lila-core may have published.
  w.send({ t: 'move', d: { u: 'g1f3', a: 2 } });
  const moved = await w.next<Frame>((f) => f.t === 'move', 10_000);
  expect(moved.v).toBeGreaterThan(v);
  for (const s of sockets) {
    if (s !== w) expect(await s.next((f) => f.v === moved.v, 10_000)).toMatchObject({ v: moved.v });
    // Versions the restarted lila-core skipped arrive as `{"v":N}`: nothing missing, nothing twice.
    expect(versioned(s)).toEqual([...Array(moved.v! + 1).keys()]);
  }
  expect(await getGame(stack, gameId)).toMatchObject({ moves: ['e2e4', 'e7e5', 'g1f3'], v: moved.v });
  sockets.forEach((s) => s.close());
});
