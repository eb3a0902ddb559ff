import type { Color } from '../../protocol/game.js';
import { minWeightMatching } from './matching.js';
import { MAX_WAITING } from './waiting.js';

/**
 * A player's colours so far: `streak` counts the last games in a row with one colour (positive:
 * white, negative: black), `balance` is whites − blacks.
 */
export type ColorHistory = { streak: number; balance: number };
export const NO_COLORS: ColorHistory = { streak: 0, balance: 0 };

export function withColor(history: ColorHistory, color: Color): ColorHistory {
  const step = color === 'white' ? 1 : -1;
  return {
    streak: Math.sign(history.streak) === step ? history.streak + step : step,
    balance: history.balance + step,
  };
}

/** A waiting player as the pairing sees them: their rank in the standings (1 is first). */
export type Candidate = { id: string; rank: number; rating: number; lastOpponent?: string; colors: ColorHistory };
export type Paired = { white: string; black: string };

/** Rule "never a third game in a row with the same colour": the colour a player must have, if any. */
const mustPlay = (c: ColorHistory): Color | undefined =>
  c.streak >= 2 ? 'black' : c.streak <= -2 ? 'white' : undefined;

/** Rule "never the last opponent again", and no pair that would give one of them a third colour in a row. */
export function mayPlay(a: Candidate, b: Candidate): boolean {
  if (a.lastOpponent === b.id || b.lastOpponent === a.id) return false;
  const ma = mustPlay(a.colors);
  return ma === undefined || ma !== mustPlay(b.colors);
}

/**
 * Colours from each player's history: a player who must change colour does; otherwise white goes to
 * the one who has had fewer whites (balance), then the one on the longer run of blacks, then at random.
 */
export function colorsFor(a: Candidate, b: Candidate, random: () => number): Paired {
  const aWhite = (() => {
    const ma = mustPlay(a.colors);
    const mb = mustPlay(b.colors);
    if (ma) return ma === 'white';
    if (mb) return mb === 'black';
    if (a.colors.balance !== b.colors.balance) return a.colors.balance < b.colors.balance;
    if (a.colors.streak !== b.colors.streak) return a.colors.streak < b.colors.streak;
    return random() < 0.5;
  })();
  return aWhite ? { white: a.id, black: b.id } : { white: b.id, black: a.id };
}

/**
 * lichess's pair weight: |rank difference| × rankFactor + |rating difference|, rankFactor =
 * 300 + 1700 × (maxRank − the better rank) / maxRank, so that pairs near the top follow the
 * ranking more closely than pairs far down (rank 1 against 5 is worse than 300 against 310).
 */
export function pairWeight(a: Candidate, b: Candidate, maxRank: number): number {
  const rankFactor = 300 + (1700 * (maxRank - Math.min(a.rank, b.rank))) / maxRank;
  return Math.abs(a.rank - b.rank) * rankFactor + Math.abs(a.rating - b.rating);
}

/** The best pairs among up to 100 players (matching.ts), colours from their histories. */
export function bestPairs(players: readonly Candidate[], random: () => number): Paired[] {
  if (players.length < 2) return [];
  const maxRank = Math.max(...players.map((p) => p.rank));
  const weight = (i: number, j: number) => {
    const a = players[i];
    const b = players[j];
    return mayPlay(a, b) ? pairWeight(a, b, maxRank) : undefined;
  };
  return minWeightMatching(players.length, weight).map(([i, j]) => colorsFor(players[i], players[j], random));
}

/**
 * Rule "in the first 15 s, rank neighbours with random colours": 1 with 2, 3 with 4... (no history
 * to respect yet, save a rematch of a game aborted at once, skipped like any forbidden pair).
 */
export function proximityPairs(players: readonly Candidate[], random: () => number): Paired[] {
  const pairs: Paired[] = [];
  for (let i = 0; i + 1 < players.length; i += 2) {
    const [a, b] = [players[i], players[i + 1]];
    if (a.lastOpponent === b.id || b.lastOpponent === a.id) continue;
    pairs.push(random() < 0.5 ? { white: a.id, black: b.id } : { white: b.id, black: a.id });
  }
  return pairs;
}

/**
 * A pairing pass over the waiting players: up to 100, one minimum-weight matching; above that,
 * rank neighbours in groups of at most 100 (an even number each), each group matched on its own,
 * as lila does, so that a pass stays bounded whatever the tournament's size.
 */
export function pairPlayers(waiting: readonly Candidate[], o: { proximity: boolean; random: () => number }): Paired[] {
  const ranked = [...waiting].sort((a, b) => a.rank - b.rank);
  if (o.proximity) return proximityPairs(ranked, o.random);
  if (ranked.length <= MAX_WAITING) return bestPairs(ranked, o.random);
  const groups = Math.ceil(ranked.length / MAX_WAITING);
  const size = Math.ceil(ranked.length / groups / 2) * 2;
  const pairs: Paired[] = [];
  for (let from = 0; from < ranked.length; from += size)
    pairs.push(...bestPairs(ranked.slice(from, from + size), o.random));
  return pairs;
}
