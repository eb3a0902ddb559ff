import { MongoClient } from 'mongodb';
import { newGame, type Game } from '../../lila-core/game/game.js';
import { move, resign } from '../../lila-core/game/play.js';
import { createGameRepo, type GameRepo } from '../../lila-core/game/repo.js';
import { testMongo, type TestMongo } from '../support/mongo.js';

/**
 * Games in a real MongoDB-protocol server: a live game's states go to the journal, its document
 * is written when it starts and ends, and loading takes whichever is newer.
 */
let mongo: TestMongo;
let client: MongoClient;
let repo: GameRepo;
beforeAll(async () => {
  mongo = await testMongo('journal');
  client = await new MongoClient(mongo.url).connect();
  repo = createGameRepo(client.db());
  await repo.init();
});
afterAll(async () => {
  await client?.close();
  await mongo?.stop();
});

const players = { white: { id: 'wendy', name: 'Wendy' }, black: { id: 'bob', name: 'Bob' } };
const t0 = Date.parse('2026-11-23T12:00:00Z');

/** Plays `ucis` from `game`, storing each state as lila-core does. */
async function play(game: Game, ucis: string[]): Promise<Game> {
  for (const [i, uci] of ucis.entries()) {
    const mover = game.moves.length % 2 === 0 ? 'wendy' : 'bob';
    const result = move(game, mover, uci, t0 + 1000 * (game.moves.length + i));
    if (!result.ok) throw new Error(result.message);
    await repo.update(game, result.value.game, t0);
    game = result.value.game;
  }
  return game;
}

test('a live game loads at its latest state, from the journal, and is among the unfinished', async () => {
  const created = newGame('journal1', players, { limit: 300, increment: 2 }, t0);
  await repo.insert(created, t0);
  const game = await play(created, ['e2e4', 'e7e5', 'g1f3', 'b8c6']);

  const loaded = await repo.find('journal1');
  expect(loaded).toMatchObject({ v: game.v, moves: ['e2e4', 'e7e5', 'g1f3', 'b8c6'], fen: game.fen });
  expect(loaded!.clock).toEqual(game.clock);
  const unfinished = (await repo.unfinished()).find((g) => g.id === 'journal1');
  expect(unfinished).toMatchObject({ v: game.v, moves: game.moves });
});

test('a live game journals what each state changed, not the whole game (issue #16)', async () => {
  const created = newGame('journal4', players, { limit: 300, increment: 2 }, t0);
  await repo.insert(created, t0);
  const game = await play(created, ['e2e4', 'e7e5', 'g1f3', 'b8c6']);
  const entry = await client
    .db()
    .collection('game_journal')
    .findOne({ _id: `journal4:${game.v}` as never });
  expect(entry?.doc).toMatchObject({ moves: { at: 3, add: ['b8c6'] }, set: { v: game.v } });
  expect(entry?.doc).not.toHaveProperty('set.players');
  expect(entry?.doc).not.toHaveProperty('set.clock');
});

test('states of many games saved at once all land (grouped), each loading at its own version', async () => {
  const ids = [...Array(30).keys()].map((i) => `many${i}`);
  const games = ids.map((id) => newGame(id, players, { limit: 60, increment: 0 }, t0));
  await Promise.all(games.map((g) => repo.insert(g, t0)));
  const lines = [['e2e4'], ['d2d4', 'd7d5'], ['c2c4', 'e7e5', 'b1c3']];
  const played = await Promise.all(games.map((g, i) => play(g, lines[i % 3])));
  for (const [i, id] of ids.entries())
    expect(await repo.find(id)).toMatchObject({ v: played[i].v, moves: lines[i % 3] });
});

test('a version stored twice is refused, and what was stored stays', async () => {
  const created = newGame('journal2', players, { limit: 300, increment: 0 }, t0);
  await repo.insert(created, t0);
  const game = await play(created, ['d2d4']);
  // Another lila-core (or a bug) storing a different state at the same version.
  const other = move(created, 'wendy', 'e2e4', t0);
  if (!other.ok) throw new Error('e2e4 is legal');
  await expect(repo.update(created, other.value.game, t0)).rejects.toThrow(/journal2/);
  expect(await repo.find('journal2')).toMatchObject({ v: game.v, moves: ['d2d4'] });
});

test('a finished game is stored in its own document, and is no longer unfinished', async () => {
  const created = newGame('journal3', players, { limit: 300, increment: 0 }, t0);
  await repo.insert(created, t0);
  const game = await play(created, ['e2e4', 'e7e5']);
  const ended = resign(game, 'bob', t0 + 5000);
  if (!ended.ok) throw new Error('bob may resign');
  await repo.update(game, ended.value.game, t0);

  expect(await repo.find('journal3')).toMatchObject({ status: 'resign', winner: 'white', moves: ['e2e4', 'e7e5'] });
  expect((await repo.unfinished()).map((g) => g.id)).not.toContain('journal3');
  const doc = await client
    .db()
    .collection('games')
    .findOne({ _id: 'journal3' as never });
  expect(doc).toMatchObject({ status: 'resign', v: ended.value.game.v, moves: ['e2e4', 'e7e5'] });
  // Ending it again from an older version is refused: the document is past it.
  await expect(repo.update(created, ended.value.game, t0)).rejects.toThrow(/past version/);
});
