import { createCrowds } from '../../lila-core/crowd.js';
import type { Game } from '../../lila-core/game/game.js';
import { createGames } from '../../lila-core/game/games.js';
import { resign } from '../../lila-core/game/play.js';
import type { GameRepo } from '../../lila-core/game/repo.js';
import type { Publisher } from '../../lila-core/publish.js';
import { createRelayLiveness } from '../../lila-core/relay-liveness.js';
import { manualClock, type ManualClock } from '../../lila-core/time.js';
import { createLogger } from '../../src/log.js';
import { BLACK, CLOCK, WHITE } from './fixtures.js';

/**
 * No per-game timer outlives its game in memory (issue #13, item 7): a player gone from a game
 * that then ends leaves an absence with timers; once the game leaves memory, they go with it,
 * and so does the room, instead of staying for good (or loading the game back from storage).
 */
const T0 = 1_700_000_000_000;

/** The manual clock, counting the timers set and not yet fired nor cancelled. */
function countingClock(): ManualClock & { readonly active: number } {
  const clock = manualClock(T0);
  const active = new Set<number>();
  let next = 0;
  return {
    now: () => clock.now(),
    advance: (ms) => clock.advance(ms),
    at(at, fire) {
      const id = next++;
      active.add(id);
      const cancel = clock.at(at, () => {
        active.delete(id);
        return fire();
      });
      return () => {
        active.delete(id);
        cancel();
      };
    },
    get active() {
      return active.size;
    },
  };
}

test('absences of a game that ended go when it leaves memory: no room, no timer, no reload', async () => {
  const clock = countingClock();
  const stored = new Map<string, Game>();
  let finds = 0;
  const repo = {
    insert: (game: Game) => Promise.resolve(void stored.set(game.id, game)),
    find: (id: string) => Promise.resolve(void finds++).then(() => stored.get(id)),
    update: (_v: number, next: Game) => Promise.resolve(void stored.set(next.id, next)),
  } as unknown as GameRepo;
  const publish = { event: () => Promise.resolve(), room: () => Promise.resolve() } as unknown as Publisher;
  const games = createGames(repo, publish, clock);
  const crowds = createCrowds({
    games,
    publish,
    clock,
    liveness: createRelayLiveness(),
    log: createLogger('core', 'silent'),
  });
  const game = await games.create({ white: WHITE, black: BLACK }, CLOCK);
  const socket = (sid: string) => ({ relay: 'r1', boot: 'b1', sid });
  crowds.joined(game.id, socket('w'), WHITE.id, 'white');
  crowds.joined(game.id, socket('b'), BLACK.id, 'black');
  crowds.joined(game.id, socket('s'), 'carol');

  // Black leaves: white hears `goneIn` after 5 s, and a claim is due later.
  crowds.left(game.id, socket('b'));
  await clock.advance(6_000);
  // White resigns, and everyone leaves.
  await games.act(game.id, (g, now) => resign(g, WHITE.id, now));
  for (const sid of ['w', 's']) crowds.left(game.id, socket(sid));
  await clock.advance(1_000);
  expect(crowds.rooms).toBe(1);

  // A minute after its last action the finished game leaves memory, and everything of it.
  await clock.advance(60_000);
  expect(games.peek(game.id)).toBeUndefined();
  expect(crowds.rooms).toBe(0);
  expect(games.timers).toBe(0);
  expect(clock.active).toBe(0);
  // Time goes on: nothing fires, nothing reads the game back from storage.
  await clock.advance(10 * 60_000);
  expect(finds).toBe(0);
  expect(games.peek(game.id)).toBeUndefined();
});
