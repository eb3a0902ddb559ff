import type { Color, Status } from '../../../protocol/game.js';

/** The result banner's text, from the status and winner as lichess words them. */
const capital = (c: Color) => (c === 'white' ? 'White' : 'Black');
const other = (c: Color): Color => (c === 'white' ? 'black' : 'white');

export function resultText(status: Status, winner: Color | null): string | null {
  const won = winner ? `${capital(winner)} is victorious` : 'Draw';
  switch (status) {
    case 'started':
      return null;
    case 'aborted':
      return 'Game aborted';
    case 'mate':
      return `Checkmate • ${won}`;
    case 'resign':
      return winner ? `${capital(other(winner))} resigned • ${won}` : won;
    case 'stalemate':
      return 'Stalemate • Draw';
    case 'timeout':
      return winner ? `${capital(other(winner))} left the game • ${won}` : `Draw claimed • Draw`;
    case 'draw':
      return 'Draw';
    case 'outoftime':
      return `Time out • ${won}`;
  }
}

/** The score line under the banner: `1-0`, `0-1`, `½-½`, or nothing for an aborted game. */
export function scoreText(status: Status, winner: Color | null): string | null {
  if (status === 'started' || status === 'aborted') return null;
  return winner === 'white' ? '1-0' : winner === 'black' ? '0-1' : '½-½';
}
