import type { MongoClient } from 'mongodb';
import { connectMongo } from '../../lila-core/db.js';
import type { Game, MoveOrigin } from '../../lila-core/game/game.js';
import { createGames } from '../../lila-core/game/games.js';
import { move, resign } from '../../lila-core/game/play.js';
import { createGameRepo, type GameRepo } from '../../lila-core/game/repo.js';
import { JournalFull, NotSaved, SaveUnsettled } from '../../lila-core/game/save-errors.js';
import type { Publisher } from '../../lila-core/publish.js';
import { manualClock } from '../../lila-core/time.js';
import { faultyDb } from '../support/faulty-db.js';
import { testMongo, type TestMongo } from '../support/mongo.js';
import { BLACK, CLOCK, WHITE } from '../unit/fixtures.js';

/**
 * Saves that fail (issue #14 part 2; issue #18 item 1): the live games over a real FerretDB whose
 * collections fail writes on demand (commit then throw, throw without committing, hang until
 * released and then commit late), and FerretDB itself paused with SIGSTOP. After every fault the
 * game in memory is the game stored, nothing was published before its save resolved, the sender
 * is refused (NotSaved: `unavailable`) only when nothing was saved, and the game's next action works.
 */
let mongo: TestMongo;
let client: MongoClient;
beforeAll(async () => {
  mongo = await testMongo('faults');
  client = (await connectMongo(mongo.url)).client;
  await createGameRepo(client.db()).init();
});
afterAll(async () => {
  await client?.close();
  await mongo?.stop();
});

const T0 = 1_700_000_000_000;
const players = { white: WHITE, black: BLACK };

function setup(o: { timeoutMs?: number; journalLimit?: number } = {}) {
  const faults = faultyDb(client.db());
  const repo = createGameRepo(faults.db, { timeoutMs: o.timeoutMs ?? 300, journalLimit: o.journalLimit });
  const published: { room: string; v: number; t: string; uci?: string }[] = [];
  const filled: [string, number, number][] = [];
  const publish = {
    event: (room: string, e: { frame: { v: number; t: string; d?: { uci?: string } } }) =>
      Promise.resolve(void published.push({ room, v: e.frame.v, t: e.frame.t, uci: e.frame.d?.uci })),
    fill: (room: string, from: number, to: number) => void filled.push([room, from, to]),
  } as unknown as Publisher;
  const games = createGames(repo, publish, manualClock(T0));
  /** Events published to the game's room. */
  const seen = (id: string) => published.filter((p) => p.room === `game:${id}`);
  const play = (id: string, user: string, uci: string, origin?: MoveOrigin) =>
    games.act(id, (g, now) => move(g, user, uci, now, origin));
  return { faults, repo, games, seen, filled, play };
}
type Setup = ReturnType<typeof setup>;

const aMacrotask = () => new Promise((resolve) => setImmediate(resolve));

/** The game in memory is the game stored: same moves, status, and the version it goes on from. */
async function expectInStep({ games, repo }: { games: Setup['games']; repo: GameRepo }, id: string) {
  const memory = games.peek(id);
  const stored = await repo.find(id);
  if (!memory || !stored) throw new Error(`game ${id} is missing`);
  const state = (g: Game, v: number) => ({ moves: g.moves, status: g.status, v, lastMoveFrom: g.lastMoveFrom });
  expect(state(memory, memory.v)).toEqual(state(stored, Math.max(stored.v, stored.reserved ?? 0)));
  expect(games.inDoubt).toBe(0);
}

/** Every version of the room up to the game's, published or filled, each once: no gap, no repeat. */
function expectContiguous(s: Setup, id: string) {
  const versions = s.seen(id).map((p) => p.v);
  for (const [room, from, to] of s.filled) if (room === `game:${id}`) for (let v = from; v <= to; v++) versions.push(v);
  versions.sort((a, b) => a - b);
  expect(versions).toEqual([...Array(s.games.peek(id)!.v).keys()].map((i) => i + 1));
}

describe('a move whose save fails', () => {
  test('committed, then the answer lost: the move stands, its sender hears success, its event goes out once', async () => {
    const s = setup();
    const { id } = await s.games.create(players, CLOCK);
    s.faults.arm('game_journal', 'commit-then-throw');
    await expect(s.play(id, WHITE.id, 'e2e4')).resolves.toMatchObject({ ok: true });
    expect(s.seen(id)).toEqual([expect.objectContaining({ v: 1, t: 'move', uci: 'e2e4' })]);
    await expectInStep(s, id);
    // Not stuck: the next version is written and published.
    await expect(s.play(id, BLACK.id, 'e7e5')).resolves.toMatchObject({ ok: true });
    expect((await s.repo.find(id))?.moves).toEqual(['e2e4', 'e7e5']);
    await expectInStep(s, id);
    expectContiguous(s, id);
  });

  test('not committed: its sender is refused, nothing is published, the game stays as it was and goes on', async () => {
    const s = setup();
    const { id } = await s.games.create(players, CLOCK);
    s.faults.arm('game_journal', 'throw');
    await expect(s.play(id, WHITE.id, 'e2e4')).rejects.toBeInstanceOf(NotSaved);
    expect(s.seen(id)).toEqual([]);
    expect(s.games.peek(id)?.moves).toEqual([]);
    await expectInStep(s, id);
    await expect(s.play(id, WHITE.id, 'd2d4')).resolves.toMatchObject({ ok: true });
    expect((await s.repo.find(id))?.moves).toEqual(['d2d4']);
    await expectInStep(s, id);
    expectContiguous(s, id);
  });

  test('hung: nothing is published while it is pending; given up, it is fenced off and cannot land later', async () => {
    const s = setup();
    const { id } = await s.games.create(players, CLOCK);
    s.faults.arm('game_journal', 'hang');
    const started = s.faults.started();
    const moving = s.play(id, WHITE.id, 'e2e4');
    await started;
    await aMacrotask();
    expect(s.seen(id)).toEqual([]);
    await expect(moving).rejects.toBeInstanceOf(NotSaved);
    expect(s.seen(id)).toEqual([]);
    // The request reaches the server now, long after it was given up: it changes nothing.
    await s.faults.release();
    await expectInStep(s, id);
    expect((await s.repo.find(id))?.moves).toEqual([]);
    await expect(s.play(id, WHITE.id, 'c2c4')).resolves.toMatchObject({ ok: true });
    await expect(s.play(id, BLACK.id, 'e7e5')).resolves.toMatchObject({ ok: true });
    expect((await s.repo.find(id))?.moves).toEqual(['c2c4', 'e7e5']);
    await expectInStep(s, id);
    expectContiguous(s, id);
  });
});

describe('a game end whose save fails (the game document, not the journal)', () => {
  test('committed, then the answer lost: the game is over, `end` published once', async () => {
    const s = setup();
    const { id } = await s.games.create(players, CLOCK);
    s.faults.arm('games', 'commit-then-throw');
    await expect(s.games.act(id, (g, now) => resign(g, BLACK.id, now))).resolves.toMatchObject({ ok: true });
    expect(s.seen(id).map((p) => p.t)).toEqual(['end']);
    expect(await s.repo.find(id)).toMatchObject({ status: 'resign', winner: 'white' });
    await expectInStep(s, id);
  });

  test('hung, then landing late: the game goes on, as its sender was told', async () => {
    const s = setup();
    const { id } = await s.games.create(players, CLOCK);
    await s.play(id, WHITE.id, 'e2e4');
    s.faults.arm('games', 'hang');
    await expect(s.games.act(id, (g, now) => resign(g, BLACK.id, now))).rejects.toBeInstanceOf(NotSaved);
    await s.faults.release();
    expect(await s.repo.find(id)).toMatchObject({ status: 'started', moves: ['e2e4'] });
    await expectInStep(s, id);
    await expect(s.play(id, BLACK.id, 'e7e5')).resolves.toMatchObject({ ok: true });
    await expectInStep(s, id);
    expectContiguous(s, id);
  });
});

/**
 * The fuzz run's finding (seed 20261125): a write in doubt, then its fence in doubt too, then the
 * write landing and seen landed (its events published), then the fence landing after all. The
 * fence must not change what the game stored since.
 */
describe('a write in doubt whose fence is in doubt too, the write landing first', () => {
  test('a game end: `end` published, and the fence landing later leaves the game over', async () => {
    const s = setup();
    const { id } = await s.games.create(players, CLOCK);
    await s.play(id, WHITE.id, 'e2e4');
    s.faults.arm('games', 'hang'); // the end
    s.faults.arm('games', 'hang'); // its fence
    await expect(s.games.act(id, (g, now) => resign(g, BLACK.id, now))).rejects.toBeInstanceOf(SaveUnsettled);
    await s.faults.release(1);
    expect(await s.games.read(id, (g) => g?.status)).toBe('resign');
    expect(s.seen(id).map((p) => p.t)).toEqual(['move', 'end']);
    await s.faults.release();
    expect(await s.repo.find(id)).toMatchObject({ status: 'resign', winner: 'white', moves: ['e2e4'] });
    await expectInStep(s, id);
  });

  test('a move: acknowledged, and the fence landing later loses neither it nor the next', async () => {
    const s = setup();
    const { id } = await s.games.create(players, CLOCK);
    s.faults.arm('game_journal', 'hang'); // the move
    s.faults.arm('game_journal', 'hang'); // its fence, if the journal holds it
    s.faults.arm('games', 'hang'); // its fence, if the document does
    await expect(s.play(id, WHITE.id, 'e2e4')).rejects.toBeInstanceOf(SaveUnsettled);
    await s.faults.release(1);
    await expect(s.play(id, BLACK.id, 'e7e5')).resolves.toMatchObject({ ok: true });
    await s.faults.release();
    expect((await s.repo.find(id))?.moves).toEqual(['e2e4', 'e7e5']);
    await expect(s.play(id, WHITE.id, 'g1f3')).resolves.toMatchObject({ ok: true });
    expect((await s.repo.find(id))?.moves).toEqual(['e2e4', 'e7e5', 'g1f3']);
    await expectInStep(s, id);
    expectContiguous(s, id);
  });
});

test('past the journal’s bound a state is refused at once (unavailable), nothing written, the game unchanged', async () => {
  const s = setup({ timeoutMs: 10_000, journalLimit: 1 });
  const [a, b, c] = [
    await s.games.create(players, CLOCK),
    await s.games.create(players, CLOCK),
    await s.games.create(players, CLOCK),
  ];
  s.faults.arm('game_journal', 'hang');
  const started = s.faults.started();
  const first = s.play(a.id, WHITE.id, 'e2e4');
  await started;
  // A batch is under way: one state waits for the next (the bound), the one after is refused.
  const second = s.play(b.id, WHITE.id, 'e2e4');
  await expect(s.play(c.id, WHITE.id, 'e2e4')).rejects.toBeInstanceOf(JournalFull);
  expect(s.seen(c.id)).toEqual([]);
  await s.faults.release();
  await expect(first).resolves.toMatchObject({ ok: true });
  await expect(second).resolves.toMatchObject({ ok: true });
  await expectInStep(s, c.id);
  await expect(s.play(c.id, WHITE.id, 'e2e4')).resolves.toMatchObject({ ok: true });
  for (const { id } of [a, b, c]) await expectInStep(s, id);
});

describe('FerretDB paused (SIGSTOP)', () => {
  const pause = () => mongo.ferretdb!.process.kill('SIGSTOP');
  const resume = () => mongo.ferretdb!.process.kill('SIGCONT');
  const ifFerret = process.env.TEST_MONGO_URL ? test.skip : test;

  ifFerret('a save held pending publishes nothing until it resolves', async () => {
    const s = setup({ timeoutMs: 30_000 });
    const { id } = await s.games.create(players, CLOCK);
    pause();
    const started = s.faults.started();
    const moving = s.play(id, WHITE.id, 'e2e4');
    await started;
    await aMacrotask();
    expect(s.seen(id)).toEqual([]);
    resume();
    await expect(moving).resolves.toMatchObject({ ok: true });
    expect(s.seen(id)).toEqual([expect.objectContaining({ v: 1, uci: 'e2e4' })]);
    await expectInStep(s, id);
  });

  ifFerret(
    'past the timeout, unreadable: no answer, nothing published, the game unchanged; settled by its next action',
    async () => {
      const s = setup({ timeoutMs: 300 });
      const { id } = await s.games.create(players, CLOCK);
      const origin = { sid: 'white-socket', a: 1 };
      pause();
      await expect(s.play(id, WHITE.id, 'e2e4', origin)).rejects.toBeInstanceOf(SaveUnsettled);
      expect(s.seen(id)).toEqual([]);
      expect(s.games.peek(id)?.v).toBe(0);
      expect(s.games.inDoubt).toBe(1);
      // Another action meanwhile cannot run: the doubt is settled first, and cannot be yet.
      await expect(s.play(id, WHITE.id, 'e2e4', origin)).rejects.toBeInstanceOf(SaveUnsettled);
      resume();
      // The relay sends the move again: it is played once, whether the first write landed or not.
      await expect(s.play(id, WHITE.id, 'e2e4', origin)).resolves.toMatchObject({ ok: true });
      expect((await s.repo.find(id))?.moves).toEqual(['e2e4']);
      expect(s.seen(id).filter((p) => p.t === 'move')).toEqual([expect.objectContaining({ uci: 'e2e4' })]);
      await expectInStep(s, id);
      expectContiguous(s, id);
      await expect(s.play(id, BLACK.id, 'e7e5')).resolves.toMatchObject({ ok: true });
      await expectInStep(s, id);
    },
  );

  ifFerret(
    'a game read while the database hangs: given up after the timeout, and the game goes on once it is back',
    async () => {
      const { id } = await setup().games.create(players, CLOCK);
      // Another lila-core's view: the game is not in memory, so its next action reads it first.
      const s = setup({ timeoutMs: 300 });
      pause();
      try {
        // Before reads were bounded, this waited as long as the database did: the game's queue with it.
        // Given up by the driver (the read's abort signal) or by `within`, whichever comes first.
        await expect(s.play(id, WHITE.id, 'e2e4')).rejects.toThrow(/timed out|no answer within/i);
        await expect(s.play(id, WHITE.id, 'e2e4')).rejects.toThrow(/timed out|no answer within/i);
        expect(s.seen(id)).toEqual([]);
      } finally {
        resume();
      }
      await expect(s.play(id, WHITE.id, 'e2e4')).resolves.toMatchObject({ ok: true });
      await expectInStep(s, id);
    },
  );
});
