import { formatClock, isRunning, lowTimeMs, remainingMs } from '../../web/src/game/clock.js';
import { fromGame } from '../../web/src/game/view.js';
import { gameJson as game } from '../support/game-json.js';

describe('the clocks shown from the server clocks', () => {
  const twoPlies = { moves: ['e2e4', 'e7e5'], sans: ['e4', 'e5'], clocks: { white: 60, black: 50 } };

  it('runs the side to move once both sides have moved, less the time since and half the lag', () => {
    const view = fromGame(game(twoPlies), 1000);
    expect(isRunning(view, 'white')).toBe(true);
    expect(isRunning(view, 'black')).toBe(false);
    expect(remainingMs(view, 'white', 3000, 200)).toBe(60_000 - 2000 - 100);
    expect(remainingMs(view, 'black', 3000, 200)).toBe(50_000);
  });

  it('does not run before both sides have moved, nor after the end, and never shows below zero', () => {
    expect(remainingMs(fromGame(game({ moves: ['e2e4'], sans: ['e4'] }), 0), 'black', 99_000)).toBe(180_000);
    expect(remainingMs(fromGame(game({ ...twoPlies, status: 'mate', winner: 'black' }), 0), 'white', 99_000)).toBe(
      60_000,
    );
    expect(remainingMs(fromGame(game(twoPlies), 0), 'white', 99_000)).toBe(0);
  });

  it('formats hours, minutes, and tenths under ten seconds', () => {
    expect(formatClock(3_723_000)).toBe('1:02:03');
    expect(formatClock(185_000)).toBe('3:05');
    expect(formatClock(10_000)).toBe('0:10');
    expect(formatClock(9_460)).toBe('0:09.4');
    expect(formatClock(0)).toBe('0:00.0');
  });

  it('is low under an eighth of the limit, between 10 and 60 seconds', () => {
    expect(lowTimeMs({ limit: 60, increment: 0 })).toBe(10_000);
    expect(lowTimeMs({ limit: 180, increment: 2 })).toBe(22_500);
    expect(lowTimeMs({ limit: 1800, increment: 0 })).toBe(60_000);
  });
});
