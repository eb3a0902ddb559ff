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
  timeout: 'Abandoned',
  draw: 'Normal',
  outoftime: 'Time forfeit',
  aborted: 'Abandoned',
};

/** `[%clk]` time, as h:mm:ss, whole seconds rounded down. */
const clockText = (ms: number): string => {
  const total = Math.max(0, Math.floor(ms / 1000));
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${Math.floor(total / 3600)}:${pad(Math.floor(total / 60) % 60)}:${pad(total % 60)}`;
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
  const moves = game.sans.map((san, i) => {
    const clk = game.clockHistory[i];
    const comment = clk === undefined ? '' : ` { [%clk ${clockText(clk)}] }`;
    // After a comment, a black move says its number again, as `1...`.
    const number = i % 2 === 0 ? `${i / 2 + 1}. ` : comment ? `${(i + 1) / 2}... ` : '';
    return `${number}${san}${comment}`;
  });
  const movetext = [...moves, result]
    .join(' ')
    .replace(/(.{1,79})(\s|$)/g, '$1\n')
    .trim();
  return `${tags.map(([k, v]) => `[${k} ${quote(v)}]`).join('\n')}\n\n${movetext}\n`;
}
