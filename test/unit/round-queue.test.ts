import type { SocketEnvelope } from '../../protocol/core-in.js';
import type { Crowds } from '../../lila-core/crowd.js';
import type { Game } from '../../lila-core/game/game.js';
import { createGames } from '../../lila-core/game/games.js';
import type { GameRepo } from '../../lila-core/game/repo.js';
import type { Publisher } from '../../lila-core/publish.js';
import { createRound } from '../../lila-core/round.js';
import { manualClock } from '../../lila-core/time.js';
import { createLogger } from '../../src/log.js';
import { BLACK, CLOCK, WHITE } from './fixtures.js';

/**
 * A game's queue is bounded (issue #13): while its database write hangs, a player's actions past
 * the bound are answered `unavailable` at once (a move with its ack id), and nothing is dropped
 * silently; once the write goes through, the queued ones are played.
 */
test('past the bound of a game’s queue, actions are refused `unavailable`, answering the move’s ack id', async () => {
  const clock = manualClock(1_700_000_000_000);
  const stored = new Map<string, Game>();
  let release!: () => void;
  let gate: Promise<void> | undefined = new Promise((resolve) => (release = resolve));
  const repo = {
    insert: (game: Game) => Promise.resolve(void stored.set(game.id, game)),
    find: (id: string) => Promise.resolve(stored.get(id)),
    update: async (_v: number, next: Game) => {
      await gate;
      stored.set(next.id, next);
    },
  } as unknown as GameRepo;
  const told: { sid: string; frame: string; a?: number }[] = [];
  const publish = {
    event: () => Promise.resolve(),
    socket: (_relay: string, sid: string, frame: string, a?: number) =>
      Promise.resolve(void told.push({ sid, frame, ...(a === undefined ? {} : { a }) })),
  } as unknown as Publisher;
  const games = createGames(repo, publish, clock, {}, { queueLimit: 2 });
  const round = createRound(
    games,
    () => Promise.reject(new Error('no rematch here')),
    { isGone: () => false } as unknown as Crowds,
    publish,
    () => clock.now(),
    createLogger('core', 'silent'),
  );
  const game = await games.create({ white: WHITE, black: BLACK }, CLOCK);
  const envelope = (sid: string, user: string, t: string, d?: unknown) =>
    ({ relay: 'r1', boot: 'b1', seq: 1, sid, user, room: `game:${game.id}`, t, d }) as SocketEnvelope;

  const first = round(envelope('w', WHITE.id, 'move', { u: 'e2e4', a: 1 }));
  const second = round(envelope('w', WHITE.id, 'draw-yes'));
  await round(envelope('w', WHITE.id, 'move', { u: 'd2d4', a: 2 }));
  await round(envelope('w', WHITE.id, 'resign'));
  expect(told).toEqual([
    { sid: 'w', a: 2, frame: expect.stringContaining('"code":"unavailable"') as string },
    { sid: 'w', frame: expect.stringContaining('"code":"unavailable"') as string },
  ]);
  gate = undefined;
  release();
  await Promise.all([first, second]);
  expect(stored.get(game.id)?.moves).toEqual(['e2e4']);
  // The queued ones were handled in turn: the move acked, the early draw offer refused as ever.
  expect(told.slice(2)).toEqual([
    { sid: 'w', a: 1, frame: '{"t":"ack","d":1}' },
    { sid: 'w', frame: expect.stringContaining('"code":"not_allowed_now"') as string },
  ]);
});
