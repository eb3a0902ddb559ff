import type { GameJson } from '../../protocol/game.js';
import type { ChaosGame } from './bots.js';

/**
 * A bot game at the end of a chaos run against what lila-core saved (`GET /api/game/<id>`). Pure.
 *
 * - **lost**: a move acknowledged to its player that is not the saved move at its ply. An ack
 *   comes only once the move is saved, so this must never happen, whatever was killed.
 * - **twice**: a move played twice shows either as a saved move no bot sent at that ply (a resend
 *   played as a new move), or as a resend refused as a new move (`illegal_move`,
 *   `not_your_turn`: these bots only send legal moves on their turn); both are counted.
 * - **stuck**: a game that never ended, though every bot resigned once the faults had stopped.
 *
 * A saved move that was never acknowledged is fine: its ack was lost with a socket.
 */
export type MoveVerdict = { lost: string[]; twice: string[]; stuck?: string };

export function moveVerdict(game: ChaosGame, saved: Pick<GameJson, 'moves' | 'status'>): MoveVerdict {
  const lost: string[] = [];
  for (const [ply, uci] of [...game.acked].sort((a, b) => a[0] - b[0]))
    if (saved.moves[ply] !== uci)
      lost.push(`${game.id} ply ${ply + 1}: ${uci} was acknowledged, ${saved.moves[ply] ?? 'nothing'} is saved`);
  const twice = game.refusals.map((refusal) => `${game.id}: ${refusal}`);
  saved.moves.forEach((uci, ply) => {
    if (!game.sent.get(ply)?.has(uci))
      twice.push(
        `${game.id} ply ${ply + 1}: ${uci} is saved, no bot sent it there (sent: ${[...(game.sent.get(ply) ?? [])].join(',') || 'nothing'})`,
      );
  });
  const stuck =
    game.end === undefined || saved.status === 'started'
      ? `${game.id}: not ended (saved ${saved.status} after ${saved.moves.length} moves; ${game.acked.size} acknowledged)`
      : undefined;
  return { lost, twice, stuck };
}
