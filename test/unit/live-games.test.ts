import { announced, type Game } from '../../lila-core/game/game.js';
import { createGames } from '../../lila-core/game/games.js';
import { RESERVED_VERSIONS } from '../../lila-core/game/reservation.js';
import { move, resign } from '../../lila-core/game/play.js';
import type { GameRepo } from '../../lila-core/game/repo.js';
import type { Publisher } from '../../lila-core/publish.js';
import { QueueFull } from '../../lila-core/serial.js';
import { manualClock } from '../../lila-core/time.js';
import { BLACK, CLOCK, WHITE } from './fixtures.js';

/**
 * The live games (games.ts) against a repo in memory: what is written when (issue #13: chat does
 * not rewrite the game), how a game stored with a reservation resumes, the per-game queue bound,
 * and no timer left behind by a game gone from memory.
 */
const T0 = 1_700_000_000_000;
const players = { white: WHITE, black: BLACK };
const chat = (text: string) => (game: Game) =>
  announced(game, [{ t: 'message', d: { u: WHITE.id, text }, to: 'players' }]);

function setup(o: { queueLimit?: number } = {}) {
  const clock = manualClock(T0);
  const stored = new Map<string, Game>();
  const writes: { id: string; v: number; reserved?: number }[] = [];
  let gate: Promise<void> | undefined;
  const repo = {
    insert: (game: Game) => Promise.resolve(void stored.set(game.id, game)),
    find: (id: string) => Promise.resolve(stored.get(id)),
    unfinished: () => Promise.resolve([...stored.values()].filter((g) => g.status === 'started')),
    update: async (_previousV: number, next: Game) => {
      await gate;
      writes.push({ id: next.id, v: next.v, reserved: next.reserved });
      stored.set(next.id, next);
    },
  } as unknown as GameRepo;
  const published: { room: string; v: number; frame: unknown }[] = [];
  const filled: [string, number, number][] = [];
  const publish = {
    event: (room: string, e: { frame: { v: number } }) =>
      Promise.resolve(void published.push({ room, v: e.frame.v, frame: e.frame })),
    fill: (room: string, from: number, to: number) => void filled.push([room, from, to]),
  } as unknown as Publisher;
  const games = createGames(repo, publish, clock, {}, o);
  const block = () => {
    let release!: () => void;
    gate = new Promise((resolve) => (release = resolve));
    return () => {
      gate = undefined;
      release();
    };
  };
  return { clock, stored, writes, published, filled, games, block, repo, publish };
}

const ok = <T>(value: T | undefined): T => {
  if (value === undefined) throw new Error('no such game');
  return value;
};

describe('what is written', () => {
  test('chat writes nothing within the reservation its first line takes; moves write as before', async () => {
    const { games, writes, published } = setup();
    const game = await games.create(players, CLOCK);
    await games.act(game.id, (g, now) => move(g, WHITE.id, 'e2e4', now));
    expect(writes).toEqual([{ id: game.id, v: 1 }]);

    // The first line reserves RESERVED_VERSIONS versions ahead, in one write; the next ones are free.
    await games.act(game.id, chat('hello'));
    expect(writes.at(-1)).toEqual({ id: game.id, v: 2, reserved: 2 + RESERVED_VERSIONS });
    for (let i = 0; i < RESERVED_VERSIONS; i++) await games.act(game.id, chat(`line ${i}`));
    expect(writes).toHaveLength(2);
    // Every line was published, each with the next version.
    expect(published.map((p) => p.v)).toEqual([...Array(2 + RESERVED_VERSIONS).keys()].map((i) => i + 1));

    // Past the reservation a line writes once more, reserving again.
    await games.act(game.id, chat('one too many'));
    const past = 3 + RESERVED_VERSIONS;
    expect(writes.at(-1)).toEqual({ id: game.id, v: past, reserved: past + RESERVED_VERSIONS });
    // A move writes, and renews the reservation: a game that chats keeps chatting for free.
    await games.act(game.id, (g, now) => move(g, BLACK.id, 'e7e5', now));
    expect(writes.at(-1)).toEqual({ id: game.id, v: past + 1, reserved: past + 1 + RESERVED_VERSIONS });
    await games.act(game.id, chat('still free'));
    expect(writes).toHaveLength(4);
  });

  test('a game that never chats never reserves', async () => {
    const { games, writes } = setup();
    const game = await games.create(players, CLOCK);
    await games.act(game.id, (g, now) => move(g, WHITE.id, 'd2d4', now));
    await games.act(game.id, (g, now) => move(g, BLACK.id, 'd7d5', now));
    await games.act(game.id, (g, now) => resign(g, WHITE.id, now));
    expect(writes.map((w) => w.reserved)).toEqual([undefined, undefined, undefined]);
  });
});

describe('resuming', () => {
  test('a game stored with a reservation resumes after it: the versions it may have used are filled', async () => {
    const first = setup();
    const game = await first.games.create(players, CLOCK);
    await first.games.act(game.id, (g, now) => move(g, WHITE.id, 'e2e4', now));
    await first.games.act(game.id, chat('a'));
    await first.games.act(game.id, chat('b'));
    await first.games.act(game.id, chat('c'));
    // v 4 published; stored at v 2 with versions reserved up to 2 + RESERVED_VERSIONS. lila-core dies.
    const stored = ok(first.stored.get(game.id));
    expect(stored).toMatchObject({ v: 2, reserved: 2 + RESERVED_VERSIONS });

    const second = setup();
    second.stored.set(game.id, stored);
    expect(await second.games.restore()).toBe(1);
    const room = `game:${game.id}`;
    expect(second.filled).toEqual([[room, 3, 2 + RESERVED_VERSIONS]]);
    expect(await second.games.version(game.id)).toBe(2 + RESERVED_VERSIONS);
    // The next event follows the reservation, never a version already published.
    await second.games.act(game.id, (g, now) => move(g, BLACK.id, 'e7e5', now));
    expect(second.published.map((p) => p.v)).toEqual([3 + RESERVED_VERSIONS]);
  });

  test('a game read again from storage (a finished one, gone from memory) resumes the same way', async () => {
    const { games, stored, filled, clock } = setup();
    const game = await games.create(players, CLOCK);
    await games.act(game.id, (g, now) => resign(g, WHITE.id, now));
    await games.act(game.id, chat('gg'));
    await clock.advance(120_000);
    expect(games.peek(game.id)).toBeUndefined();
    expect(await games.version(game.id)).toBe(ok(stored.get(game.id)).reserved);
    expect(filled).toEqual([[`game:${game.id}`, 3, 2 + RESERVED_VERSIONS]]);
  });

  test('a game stored without a reservation resumes at its version, with nothing filled', async () => {
    const { games, stored, filled } = setup();
    const game = await games.create(players, CLOCK);
    await games.act(game.id, (g, now) => move(g, WHITE.id, 'e2e4', now));
    const again = setup();
    again.stored.set(game.id, ok(stored.get(game.id)));
    await again.games.restore();
    expect(await again.games.version(game.id)).toBe(1);
    expect(filled).toEqual([]);
    expect(again.filled).toEqual([]);
  });
});

describe('the queue of one game', () => {
  test('past the bound, a client’s action is refused (QueueFull); the game’s own work and other games go on', async () => {
    const { games, block } = setup({ queueLimit: 3 });
    const game = await games.create(players, CLOCK);
    const other = await games.create(players, CLOCK);
    const release = block();
    const waiting = [
      games.act(game.id, (g, now) => move(g, WHITE.id, 'e2e4', now), { bounded: true }),
      games.act(game.id, chat('a'), { bounded: true }),
      games.act(game.id, chat('b'), { bounded: true }),
    ];
    await expect(games.act(game.id, chat('c'), { bounded: true })).rejects.toBeInstanceOf(QueueFull);
    // lila-core's own (a timer's, presence's) still queue.
    const own = games.act(game.id, chat('own'));
    release();
    await Promise.all([...waiting, own]);
    expect(await games.version(game.id)).toBe(4);
    await expect(games.act(other.id, chat('x'), { bounded: true })).resolves.toMatchObject({ ok: true });
  });

  test('a publish that has not answered yet does not hold the game’s next action', async () => {
    const { games, publish } = setup();
    const game = await games.create(players, CLOCK);
    let answer!: () => void;
    const slow = new Promise<void>((resolve) => (answer = resolve));
    const event = publish.event.bind(publish);
    publish.event = (room, e) => (e.frame.v === 1 ? slow : event(room, e));
    const first = games.act(game.id, (g, now) => move(g, WHITE.id, 'e2e4', now));
    let firstDone = false;
    void first.then(() => (firstDone = true));
    await games.act(game.id, (g, now) => move(g, BLACK.id, 'e7e5', now));
    // The mover is answered only once its event is published.
    expect(firstDone).toBe(false);
    answer();
    await first;
    expect(firstDone).toBe(true);
  });
});

describe('timers', () => {
  test('a finished game leaves memory after a minute, with its timer, and says so', async () => {
    const { games, clock } = setup();
    const gone: string[] = [];
    games.onEvicted((id) => gone.push(id));
    const game = await games.create(players, CLOCK);
    expect(games.timers).toBe(1);
    await games.act(game.id, (g, now) => resign(g, WHITE.id, now));
    expect(games.timers).toBe(1);
    await clock.advance(59_000);
    expect(games.peek(game.id)).toBeDefined();
    await clock.advance(2_000);
    expect(games.peek(game.id)).toBeUndefined();
    expect(games.timers).toBe(0);
    expect(gone).toEqual([game.id]);
  });
});
