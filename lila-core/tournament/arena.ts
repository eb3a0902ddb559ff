import type { ClockConfig, Color } from '../../protocol/game.js';
import type { StandingPlayer, TournamentJson, TournamentMe, TournamentStatus } from '../../protocol/http.js';
import { NO_COLORS, withColor, type Candidate, type ColorHistory } from './pairing.js';
import { performanceOf, sheetOf, type Outcome, type Sheet } from './scoring.js';

/** An arena as created: its times are ms since the epoch. */
export type Tournament = {
  id: string;
  name: string;
  clock: ClockConfig;
  minutes: number;
  startsAt: number;
  finishesAt: number;
  berserkable: boolean;
  streaks: boolean;
  createdBy: string;
  createdAt: number;
};

/** A player who joined; `withdrawn` ones (paused) stay in the standings but are not paired. */
export type Entrant = { id: string; name: string; rating: number; joinedAt: number; withdrawn: boolean };

/** A tournament game: `playing` until its game ends; an aborted one counts for nobody. */
export type Pairing = {
  id: string;
  white: string;
  black: string;
  at: number;
  status: 'playing' | 'done' | 'aborted';
  winner?: Color | null;
  plies?: number;
  berserk?: Partial<Record<Color, true>>;
};

/** An arena in memory: its players, its games, and caches derived from them. */
export type Arena = {
  t: Tournament;
  players: Map<string, Entrant>;
  pairings: Map<string, Pairing>;
  /** Each player's games in the order they were paired. */
  byPlayer: Map<string, Pairing[]>;
  /** Sheets derived from the games, dropped for a player when one of theirs ends. */
  sheets: Map<string, Sheet>;
  /** The standings, dropped whenever a score or the players change. */
  ranked?: string[];
  /** Who waits to be paired, since when (waiting.ts). */
  waiting: Map<string, number>;
  hadPairings: boolean;
};

/** Lifecycle: created → started at its start time → finished at its end (games running then still count). */
export const statusAt = (t: Tournament, now: number): TournamentStatus =>
  now < t.startsAt ? 'created' : now < t.finishesAt ? 'started' : 'finished';

export function newArena(t: Tournament, players: Entrant[] = [], pairings: Pairing[] = []): Arena {
  const arena: Arena = {
    t,
    players: new Map(players.map((p) => [p.id, p])),
    pairings: new Map(),
    byPlayer: new Map(),
    sheets: new Map(),
    waiting: new Map(),
    hadPairings: pairings.length > 0,
  };
  for (const p of [...pairings].sort((a, b) => a.at - b.at)) addPairing(arena, p);
  return arena;
}

export function addPairing(arena: Arena, p: Pairing): void {
  arena.pairings.set(p.id, p);
  for (const id of [p.white, p.black]) {
    const list = arena.byPlayer.get(id) ?? [];
    list.push(p);
    arena.byPlayer.set(id, list);
  }
  arena.hadPairings = true;
}

/** A game of the arena ended: its pairing takes the result (once), and the scores are derived again. */
export function settlePairing(arena: Arena, id: string, result: Omit<Pairing, 'id' | 'white' | 'black' | 'at'>) {
  const p = arena.pairings.get(id);
  if (!p || p.status !== 'playing') return undefined;
  Object.assign(p, result);
  arena.sheets.delete(p.white);
  arena.sheets.delete(p.black);
  arena.ranked = undefined;
  return p;
}

const resultOf = (p: Pairing, color: Color): Outcome['result'] =>
  p.winner === null ? 'draw' : p.winner === color ? 'win' : 'loss';

/** A player's sheet, derived from their finished games in order (scoring.ts). */
export function sheetFor(arena: Arena, userId: string): Sheet {
  const cached = arena.sheets.get(userId);
  if (cached) return cached;
  const outcomes: Outcome[] = [];
  for (const p of arena.byPlayer.get(userId) ?? []) {
    if (p.status !== 'done') continue;
    const color: Color = p.white === userId ? 'white' : 'black';
    outcomes.push({ game: p.id, result: resultOf(p, color), plies: p.plies ?? 0, berserk: !!p.berserk?.[color] });
  }
  const sheet = sheetOf(outcomes, arena.t.streaks);
  arena.sheets.set(userId, sheet);
  return sheet;
}

/** A player's performance: their opponents' ratings and their results (scoring.ts). */
export function performanceFor(arena: Arena, userId: string): number | undefined {
  const games = [];
  for (const p of arena.byPlayer.get(userId) ?? []) {
    if (p.status !== 'done') continue;
    const color: Color = p.white === userId ? 'white' : 'black';
    const opponent = arena.players.get(color === 'white' ? p.black : p.white);
    games.push({ result: resultOf(p, color), opponentRating: opponent?.rating ?? 1500 });
  }
  return performanceOf(games);
}

/** Standings: by score, then performance (or rating without games), then rating, then who joined first. */
export function ranking(arena: Arena): string[] {
  if (arena.ranked) return arena.ranked;
  const rows = [...arena.players.values()].map((p) => ({
    p,
    score: sheetFor(arena, p.id).score,
    perf: performanceFor(arena, p.id) ?? p.rating,
  }));
  rows.sort((a, b) => b.score - a.score || b.perf - a.perf || b.p.rating - a.p.rating || a.p.joinedAt - b.p.joinedAt);
  return (arena.ranked = rows.map((r) => r.p.id));
}

export const STANDINGS_PAGE = 10;

/** One page of the standings (from 1), each player with their sheet. */
export function standingPage(arena: Arena, page: number): StandingPlayer[] {
  return ranking(arena)
    .slice((page - 1) * STANDINGS_PAGE, page * STANDINGS_PAGE)
    .map((id) => {
      const p = arena.players.get(id)!;
      const sheet = sheetFor(arena, id);
      return { id, name: p.name, rating: p.rating, score: sheet.score, fire: sheet.fire, sheet: sheet.entries };
    });
}

/** One player's place (`GET /api/tournament/:id/me`): rank, paused or not, the game they play now. */
export function placeOf(arena: Arena, userId: string): TournamentMe['me'] {
  const entrant = arena.players.get(userId);
  if (!entrant) return null;
  const last = arena.byPlayer.get(userId)?.at(-1);
  return {
    rank: ranking(arena).indexOf(userId) + 1,
    withdrawn: entrant.withdrawn,
    game: last?.status === 'playing' ? last.id : null,
  };
}

/** What the pairing knows of a waiting player: rank, rating, last opponent, colours (pairing.ts). */
export function candidateOf(arena: Arena, userId: string, rank: number): Candidate {
  let colors: ColorHistory = NO_COLORS;
  let lastOpponent: string | undefined;
  for (const p of arena.byPlayer.get(userId) ?? []) {
    if (p.status === 'aborted') continue;
    const color: Color = p.white === userId ? 'white' : 'black';
    colors = withColor(colors, color);
    lastOpponent = color === 'white' ? p.black : p.white;
  }
  const rating = arena.players.get(userId)?.rating ?? 1500;
  return { id: userId, rank, rating, colors, ...(lastOpponent === undefined ? {} : { lastOpponent }) };
}

export function tournamentJson(arena: Arena, now: number): TournamentJson {
  const { t } = arena;
  return {
    id: t.id,
    name: t.name,
    status: statusAt(t, now),
    clock: t.clock,
    minutes: t.minutes,
    berserkable: t.berserkable,
    streaks: t.streaks,
    startsAt: t.startsAt,
    finishesAt: t.finishesAt,
    nbPlayers: arena.players.size,
  };
}
