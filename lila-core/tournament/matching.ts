/**
 * Minimum-weight matching for arena pairings (up to 100 players at a time). The weight of a pair
 * (tournament/pairing.ts) is dominated by the players' rank distance, scaled by 300 to 2,000, with
 * the rating difference a tie-breaker: the best matching is almost the rank-neighbour pairing,
 * bent around forbidden pairs (a rematch, a third game with one colour). lila runs an exact blossom
 * algorithm; here, up to EXACT_LIMIT players are matched exactly (dynamic programming over subsets),
 * and above it exactly among the pairs less than WINDOW ranks apart (dynamic programming along
 * the ranking). A pair 10 ranks apart weighs at least 3,000 more than neighbours, more than most
 * rating differences: the best matching rarely has one, and on random arenas with many forbidden
 * pairs the window finds the exact optimum's number of pairs and its weight
 * (test/unit/tournament-pairing.test.ts compares them).
 *
 * `weight(i, j)` is undefined for a pair that must not play. Maximises the number of pairs first,
 * then minimises their total weight. Players are indices, given in rank order.
 */
export type Weight = (i: number, j: number) => number | undefined;
export type Matched = [number, number][];

export const EXACT_LIMIT = 16;
/** Costs more than any total weight: one pair more always beats a lighter matching. */
const UNPAIRED = 1e12;

export function minWeightMatching(n: number, weight: Weight): Matched {
  return n <= EXACT_LIMIT ? exactMatching(n, weight) : windowMatching(n, weight);
}

/** The exact optimum, over the 2^n subsets of players still to match (n ≤ 16: 65,536 states). */
export function exactMatching(n: number, weight: Weight): Matched {
  const full = (1 << n) - 1;
  const cost = new Float64Array(full + 1).fill(-1);
  const choice = new Int8Array(full + 1);
  cost[0] = 0;
  const solve = (mask: number): number => {
    if (cost[mask] >= 0) return cost[mask];
    const i = 31 - Math.clz32(mask & -mask);
    const rest = mask & ~(1 << i);
    let best = UNPAIRED + solve(rest);
    let pick = -1;
    for (let j = i + 1; j < n; j++) {
      if (!(rest & (1 << j))) continue;
      const w = weight(i, j);
      if (w === undefined) continue;
      const total = w + solve(rest & ~(1 << j));
      if (total < best) [best, pick] = [total, j];
    }
    cost[mask] = best;
    choice[mask] = pick;
    return best;
  };
  solve(full);
  const pairs: Matched = [];
  for (let mask = full; mask;) {
    const i = 31 - Math.clz32(mask & -mask);
    const j = choice[mask];
    mask &= ~(1 << i);
    if (j >= 0) {
      pairs.push([i, j]);
      mask &= ~(1 << j);
    }
  }
  return pairs;
}

/** How far apart in rank two players may be paired above EXACT_LIMIT (2^WINDOW states per player). */
export const WINDOW = 10;

/**
 * The exact optimum among matchings whose pairs are less than WINDOW ranks apart: dynamic
 * programming along the ranking, the state being which of the next WINDOW players are already
 * taken. n × 2^WINDOW × WINDOW steps: about a million for 100 players.
 */
export function windowMatching(n: number, weight: Weight, window = WINDOW): Matched {
  const states = 1 << window;
  const w = new Float64Array(n * window).fill(Infinity);
  for (let i = 0; i < n; i++)
    for (let k = 1; k < window && i + k < n; k++) w[i * window + k] = weight(i, i + k) ?? Infinity;
  // cost[i][mask]: the least cost of matching players i.. given `mask` (bit k: player i + k taken).
  const cost = new Float64Array((n + 1) * states);
  const pick = new Int8Array(n * states);
  for (let i = n - 1; i >= 0; i--) {
    const row = i * states;
    const next = (i + 1) * states;
    for (let mask = 0; mask < states; mask++) {
      if (mask & 1) {
        cost[row + mask] = cost[next + (mask >> 1)]!;
        continue;
      }
      let best = UNPAIRED + cost[next + (mask >> 1)];
      let choice = 0;
      for (let k = 1; k < window && i + k < n; k++) {
        if (mask & (1 << k)) continue;
        const total = w[i * window + k] + cost[next + ((mask | (1 << k)) >> 1)];
        if (total < best) [best, choice] = [total, k];
      }
      cost[row + mask] = best;
      pick[row + mask] = choice;
    }
  }
  const pairs: Matched = [];
  for (let i = 0, mask = 0; i < n; i++, mask >>= 1) {
    if (mask & 1) continue;
    const k = pick[i * states + mask];
    if (k === 0) continue;
    pairs.push([i, i + k]);
    mask |= 1 << k;
  }
  return pairs;
}
