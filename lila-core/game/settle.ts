import { randomId } from '../ids.js';
import { judge, type Doubt } from './doubt.js';
import type { Game } from './game.js';
import type { GameRepo } from './repo.js';
import { SaveUnsettled } from './save-errors.js';

/** A doubt settled: the write landed, or it did not and `game` is the game as stored (fenced). */
export type Settled = { landed: true } | { landed: false; game: Game };

const why = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * Learns from the database whether the write in doubt landed (doubt.ts). If it did not, fences
 * it off first (repo.ts `fence`), so that no copy of it still travelling can land afterwards:
 * only then is "not saved" true for good. Throws SaveUnsettled when the database cannot be read,
 * or the fence written, now (each bounded by the write timeout); `doubt` then keeps the fence
 * tried, itself in doubt, for the next attempt to go past.
 */
export async function settle(repo: GameRepo, doubt: Doubt, now: number): Promise<Settled> {
  const id = doubt.written.id;
  const stored = await repo.read(id, { timed: true }).catch((err: unknown) => {
    throw new SaveUnsettled(`game ${id}: the save's outcome is unknown and the game cannot be read: ${why(err)}`);
  });
  if (!stored) throw new SaveUnsettled(`game ${id}: the save's outcome is unknown and the game is not stored`);
  const verdict = judge(doubt, stored);
  if (verdict.t === 'landed') return { landed: true };
  if (verdict.t === 'fenced') return { landed: false, game: verdict.game };
  const w = randomId(12);
  doubt.highest = verdict.game.v;
  doubt.fences.push(w);
  await repo.fence(verdict.game, now, w).catch((err: unknown) => {
    throw new SaveUnsettled(`game ${id}: the save did not land, and it cannot be fenced off yet: ${why(err)}`);
  });
  return { landed: false, game: verdict.game };
}
