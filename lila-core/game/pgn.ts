import type { Game } from './game.js';

const resultOf = (game: Game): string => {
  if (game.status === 'started' || game.status === 'aborted') return '*';
  if (game.winner === 'white') return '1-0';
  if (game.winner === 'black') return '0-1';
  return '1/2-1/2';
};

const termination: Record<Game['status'], string> = {
  started: 'Unterminated',
  mate: 'Normal',
  resign: 'Normal',
  stalemate: 'Normal',
  draw: 'Normal',
  outoftime: 'Time forfeit',
  aborted: 'Abandoned',
};

const quote = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/** The game as PGN (export format, seven-tag roster first). */
export function toPgn(game: Game, site: string): string {
  const date = new Date(game.createdAt).toISOString().slice(0, 10).replace(/-/g, '.');
  const result = resultOf(game);
  const tags: [string, string][] = [
    ['Event', 'Casual game'],
    ['Site', `${site}/${game.id}`],
    ['Date', date],
    ['Round', '-'],
    ['White', game.players.white.name],
    ['Black', game.players.black.name],
    ['Result', result],
    ['TimeControl', `${game.clockConfig.limit}+${game.clockConfig.increment}`],
    ['Termination', termination[game.status]],
  ];
  const moves = game.sans.map((san, i) => (i % 2 === 0 ? `${i / 2 + 1}. ${san}` : san));
  const movetext = [...moves, result]
    .join(' ')
    .replace(/(.{1,79})(\s|$)/g, '$1\n')
    .trim();
  return `${tags.map(([k, v]) => `[${k} ${quote(v)}]`).join('\n')}\n\n${movetext}\n`;
}
