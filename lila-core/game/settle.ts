import { randomId } from '../ids.js';
import { judge, type Doubt, type Verdict } from './doubt.js';
import type { Game } from './game.js';
import type { GameRepo } from './repo.js';
import { SaveUnsettled } from './save-errors.js';

/** A doubt settled: the write landed, or it did not and `game` is the game as stored. */
export type Settled = { landed: true } | { landed: false; game: Game };

const why = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** What the database holds now of the doubt's slot (doubt.ts `judge`). */
async function look(repo: GameRepo, doubt: Doubt): Promise<Verdict> {
  const id = doubt.written.id;
  const stored = await repo.read(id, { timed: true }).catch((err: unknown) => {
    throw new SaveUnsettled(`game ${id}: the save's outcome is unknown and the game cannot be read: ${why(err)}`);
  });
  if (!stored) throw new SaveUnsettled(`game ${id}: the save's outcome is unknown and the game is not stored`);
  return judge(doubt, stored);
}

/**
 * Learns from the database whether the write in doubt landed (doubt.ts). While its version's slot
 * is open, fills it with a fence (repo.ts `fence`), so that no copy of the write still travelling
 * can land afterwards: only then is "not saved" true for good, and only once the slot is seen
 * filled is anything decided. Throws SaveUnsettled when the database cannot be read, or the slot
 * is still open after the fence (each bounded by the write timeout): the next attempt looks again.
 * The games in memory (the version published) go on from the slot's version, never from below
 * it, so a write or fence landing late finds its slot filled and changes nothing.
 */
export async function settle(repo: GameRepo, doubt: Doubt, now: number): Promise<Settled> {
  let verdict = await look(repo, doubt);
  if (verdict.t === 'open') {
    // Whatever becomes of the fence (stored, refused because the write took the slot first, or
    // itself in doubt), the slot says what happened: it is read again right after.
    await repo.fence(doubt, verdict.stored, verdict.fence, now, randomId(12)).catch(() => undefined);
    verdict = await look(repo, doubt);
  }
  if (verdict.t === 'landed') return { landed: true };
  if (verdict.t === 'taken') return { landed: false, game: verdict.game };
  throw new SaveUnsettled(`game ${doubt.written.id}: the save did not land, and it cannot be fenced off yet`);
}
