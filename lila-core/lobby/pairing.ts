/**
 * Pool pairing, one wave at a time, in the spirit of lichess's weighted matching.
 *
 * The rule:
 * 1. Players are sorted by rating. Pairing neighbours in that order is the cheapest way to pair
 *    everyone by rating difference, so a wave pairs neighbours.
 * 2. With an odd number, one player waits for the next wave: the one who has waited the fewest
 *    waves; among those, the one whose absence leaves the smallest total rating difference.
 * 3. A pair is allowed only if the rating difference is within a range that widens with waiting:
 *    300 + 100 × the waves the longer-waiting of the two has missed. A pair out of range is not
 *    made; both wait (their misses grow, so their range widens).
 * Who waits has `misses` incremented by the caller.
 */
export type Candidate = { id: string; rating: number; misses: number };
export type Wave = { pairs: [Candidate, Candidate][]; waiting: Candidate[] };

export const BASE_RANGE = 300;
export const RANGE_PER_MISS = 100;

const inRange = (a: Candidate, b: Candidate) =>
  Math.abs(a.rating - b.rating) <= BASE_RANGE + RANGE_PER_MISS * Math.max(a.misses, b.misses);

/** Total rating difference of pairing `sorted` neighbours, skipping index `skip`. */
function costWithout(sorted: readonly Candidate[], skip: number): number {
  const rest = sorted.filter((_, i) => i !== skip);
  let cost = 0;
  // `rest` is even (an odd wave less one): every i has its neighbour i + 1.
  for (let i = 0; i < rest.length; i += 2) cost += Math.abs(rest[i].rating - rest[i + 1].rating);
  return cost;
}

export function pairWave(players: readonly Candidate[]): Wave {
  // Ties in rating keep the longest waiting first, then a stable order by id.
  const sorted = [...players].sort((a, b) => a.rating - b.rating || b.misses - a.misses || a.id.localeCompare(b.id));
  const waiting: Candidate[] = [];
  if (sorted.length % 2 === 1) {
    const fewest = Math.min(...sorted.map((p) => p.misses));
    // Always replaced below: some player has the fewest misses, and any cost beats Infinity.
    let skip = 0;
    let best = Infinity;
    sorted.forEach((p, i) => {
      if (p.misses !== fewest) return;
      const cost = costWithout(sorted, i);
      if (cost < best) [best, skip] = [cost, i];
    });
    waiting.push(...sorted.splice(skip, 1));
  }
  const pairs: [Candidate, Candidate][] = [];
  // `sorted` is even here (one taken out if odd): every i has its neighbour i + 1.
  for (let i = 0; i < sorted.length; i += 2) {
    const [a, b] = [sorted[i], sorted[i + 1]];
    if (inRange(a, b)) pairs.push([a, b]);
    else waiting.push(a, b);
  }
  return { pairs, waiting };
}
