import { Room } from '../../protocol/channels.js';
import type { Player } from '../../protocol/game.js';
import { isOver, type Game } from '../game/game.js';
import type { GameToStart } from '../game/start.js';
import { addPairing, candidateOf, ranking, settlePairing, statusAt, type Arena, type Pairing } from './arena.js';
import { pairPlayers } from './pairing.js';
import type { Presence } from './presence.js';
import { evenNumber, lastPairingMs, PROXIMITY_MS, readyToPair, updateWaiting } from './waiting.js';

/** What a pairing pass needs from the rest of lila-core (stubs in the benchmark). */
export type PassDeps = {
  presence: Pick<Presence, 'isIn'>;
  games: {
    isPlaying(userId: string): boolean;
    peek(id: string): Game | undefined;
    read<T>(id: string, use: (game: Game | undefined) => T): Promise<T>;
  };
  /** The one game-start path (game/start.ts): the players are sent to it on their channels. */
  startGame(toStart: GameToStart): Promise<Game>;
  insertPairings(id: string, made: Pairing[]): Promise<unknown>;
  /** A game's result reached the arena (settled once); stored and told by the caller. */
  settled(arena: Arena, p: Pairing): Promise<unknown>;
  random: () => number;
};

/** What a finished game leaves on its pairing: aborted games count for nobody (arena.ts). */
export const resultOf = (game: Game): Omit<Pairing, 'id' | 'white' | 'black' | 'at'> => ({
  status: game.status === 'aborted' ? 'aborted' : 'done',
  winner: game.winner,
  plies: game.moves.length,
  ...(game.berserk && { berserk: game.berserk }),
});

/**
 * Results not heard yet: a game ended while lila-core was down, or aborted (the end hook hears only
 * games that count). Each pairing still `playing` whose game is over, or no longer in memory (every
 * game in progress is), is settled from the game.
 */
async function reconcile(arena: Arena, d: PassDeps): Promise<void> {
  for (const p of arena.pairings.values()) {
    if (p.status !== 'playing') continue;
    const live = d.games.peek(p.id);
    if (live && !isOver(live)) continue;
    const game = live ?? (await d.games.read(p.id, (g) => g));
    if (!game || !isOver(game)) continue;
    const settled = settlePairing(arena, p.id, resultOf(game));
    if (settled) await d.settled(arena, settled);
  }
}

/**
 * Waiting players, rule "in the tournament (not withdrawn), with its page or a game socket open on
 * some relay, not in a game": the page is the tournament's room, the game socket that of their last
 * tournament game (where they land after it, and get the next redirect).
 */
function presentPlayers(arena: Arena, d: PassDeps): string[] {
  const room = Room.tournament(arena.t.id);
  const present: string[] = [];
  for (const p of arena.players.values()) {
    if (p.withdrawn || d.games.isPlaying(p.id)) continue;
    const last = arena.byPlayer.get(p.id)?.at(-1);
    if (d.presence.isIn(room, p.id) || (last && d.presence.isIn(Room.game(last.id), p.id))) present.push(p.id);
  }
  return present;
}

/**
 * One pass over an arena, every second: results not yet heard, then, while the arena runs and
 * enough time is left (rule "no new pairing when less than max(30 s, min(base / 2, 120 s))
 * remains"), the waiting players, and their pairings when they have waited long enough (waiting.ts).
 * Returns the pairings made (their games started).
 */
export async function pairingPass(arena: Arena, now: number, d: PassDeps): Promise<Pairing[]> {
  await reconcile(arena, d);
  const { t } = arena;
  if (statusAt(t, now) !== 'started' || now >= t.finishesAt - lastPairingMs(t.clock)) {
    arena.waiting.clear();
    return [];
  }
  arena.waiting = updateWaiting(arena.waiting, presentPlayers(arena, d), now);
  if (!readyToPair(arena.waiting, now, t.clock, arena.hadPairings)) return [];
  const rank = new Map(ranking(arena).map((id, i) => [id, i + 1]));
  const candidates = (ids: string[]) => ids.map((id) => candidateOf(arena, id, rank.get(id)!));
  const options = { proximity: now < t.startsAt + PROXIMITY_MS, random: d.random };
  let pairs = pairPlayers(candidates(evenNumber(arena.waiting)), options);
  // lila's rule: with an odd number and nobody pairable among the even set, try everyone.
  if (!pairs.length && arena.waiting.size % 2) pairs = pairPlayers(candidates([...arena.waiting.keys()]), options);
  if (!pairs.length) return [];

  const player = (id: string): Player => ({ id, name: arena.players.get(id)!.name });
  const seat = { id: t.id, berserkable: t.berserkable };
  const started = await Promise.allSettled(
    pairs.map(async ({ white, black }) => {
      const game = await d.startGame({
        players: { white: player(white), black: player(black) },
        clock: t.clock,
        rated: true,
        tournament: seat,
      });
      const p: Pairing = { id: game.id, white, black, at: now, status: 'playing' };
      addPairing(arena, p);
      arena.waiting.delete(white);
      arena.waiting.delete(black);
      return p;
    }),
  );
  const made = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  await d.insertPairings(t.id, made);
  const failed = started.find((s) => s.status === 'rejected');
  if (failed) throw failed.reason;
  return made;
}
