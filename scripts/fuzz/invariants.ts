import { Chess } from 'chessops/chess';
import { makeFen } from 'chessops/fen';
import { makeSanAndPlay } from 'chessops/san';
import { parseUci } from 'chessops/util';
import type { GameJson, Status } from '../../protocol/game.js';

/**
 * A game as lila-core says it is (`GET /api/game/<id>`), against an independent replay of its
 * saved moves with chessops: every move legal, the SAN list and the FEN the same, and a status the
 * position allows (a game the rules end, mate, stalemate, insufficient material, fivefold
 * repetition or the 75-move rule, has that ending; one they do not end is not `mate` or
 * `stalemate`; an abort comes before both sides moved; a decisive status names a winner).
 * Returns what is wrong, nothing when the game holds. Pure.
 */
export function gameProblems(game: GameJson): string[] {
  const problems: string[] = [];
  const position = Chess.default();
  const seen = new Map<string, number>();
  let repeated = false;
  const remember = () => {
    const key = makeFen(position.toSetup()).split(' ').slice(0, 4).join(' ');
    const times = (seen.get(key) ?? 0) + 1;
    seen.set(key, times);
    if (times >= 5) repeated = true;
  };
  remember();
  const sans: string[] = [];
  for (const [i, uci] of game.moves.entries()) {
    const move = parseUci(uci);
    if (!move || !position.isLegal(move)) {
      problems.push(`move ${i + 1} (${uci}) is not legal in ${makeFen(position.toSetup())}`);
      return problems;
    }
    sans.push(makeSanAndPlay(position, move));
    remember();
  }
  if (sans.join(' ') !== game.sans.join(' '))
    problems.push(`SANs differ: saved [${game.sans.join(' ')}], replayed [${sans.join(' ')}]`);
  const fen = makeFen(position.toSetup());
  if (fen !== game.fen) problems.push(`FEN differs: saved ${game.fen}, replayed ${fen}`);

  const turn = position.turn;
  const other = turn === 'white' ? 'black' : 'white';
  const ending: { status: Status; winner: 'white' | 'black' | null } | undefined = position.isCheckmate()
    ? { status: 'mate', winner: other }
    : position.isStalemate()
      ? { status: 'stalemate', winner: null }
      : position.isInsufficientMaterial() || repeated || position.halfmoves >= 150
        ? { status: 'draw', winner: null }
        : undefined;
  const said = `status ${game.status}, winner ${game.winner}`;
  if (ending) {
    // A last move made after its mover's time ran out ends the game on time instead.
    if (game.status !== 'outoftime' && (game.status !== ending.status || game.winner !== ending.winner))
      problems.push(`the rules end this game (${ending.status}, winner ${ending.winner}), yet ${said}`);
    return problems;
  }
  const fine: Record<Status, boolean> = {
    started: game.winner === null,
    aborted: game.winner === null && game.moves.length < 2,
    mate: false,
    stalemate: false,
    resign: game.winner !== null,
    timeout: game.winner !== null,
    draw: game.winner === null,
    // The side to move ran out of time: its opponent wins, or draws when it cannot mate.
    outoftime: game.winner !== turn,
  };
  if (!fine[game.status]) problems.push(`${said} does not fit the position after ${game.moves.length} moves (${fen})`);
  return problems;
}
