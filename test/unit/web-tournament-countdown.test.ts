import { clockText, countdownOf } from '../../web/src/tournament/countdown.js';

describe("the arena page's countdown", () => {
  const t = { startsAt: 100_000, finishesAt: 100_000 + 30 * 60_000 };

  test.each([
    [0, '0:00'],
    [1, '0:01'],
    [999, '0:01'],
    [1000, '0:01'],
    [59_001, '1:00'],
    [65_000, '1:05'],
    [12 * 60_000, '12:00'],
    [3_723_000, '1:02:03'],
    [-5000, '0:00'],
  ])('%i ms reads %s (seconds rounded up: it says 0:00 only once the moment is there)', (ms, text) => {
    expect(clockText(ms)).toBe(text);
  });

  test('counts down to the start, then to the end, then says it is over', () => {
    expect(countdownOf(t, 93_000)).toEqual({ label: 'Starts in', text: '0:07' });
    expect(countdownOf(t, 100_000)).toEqual({ label: 'Ends in', text: '30:00' });
    expect(countdownOf(t, t.finishesAt - 1)).toEqual({ label: 'Ends in', text: '0:01' });
    expect(countdownOf(t, t.finishesAt)).toEqual({ label: 'Finished', text: '' });
  });
});
