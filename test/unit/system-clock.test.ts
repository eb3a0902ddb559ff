import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '../../scripts/stack/services.js';

/**
 * lila-core's system clock sets a timer per game clock with a duration to the millisecond, so
 * nearly every timer has a duration of its own. Node keeps one list per duration; when a timer is
 * cancelled its empty list is removed at once, unless the timer was unref'd: then the list stays
 * until its duration has passed (minutes for a game clock), and a busy server holds thousands
 * (seen as +4,000 TimersList objects in lila-core's heap after a fuzz run). Read in a process of
 * its own, through Node's internal timer table.
 */
const script = `
const { timerListMap } = require('internal/timers');
import(${JSON.stringify(join(projectRoot, 'dist/lila-core/time.js'))}).then(({ systemClock }) => {
  const before = Object.keys(timerListMap).length;
  const cancels = [];
  for (let i = 0; i < 1000; i++) cancels.push(systemClock.at(Date.now() + 600_000 + i * 7, () => undefined));
  const during = Object.keys(timerListMap).length;
  for (const cancel of cancels) cancel();
  console.log(JSON.stringify({ before, during, after: Object.keys(timerListMap).length }));
  process.exit(0);
});
`;

test('cancelled timers of the system clock leave no timer lists behind', () => {
  const out = execFileSync(process.execPath, ['--expose-internals', '-e', script], { encoding: 'utf8' });
  const { before, during, after } = JSON.parse(out) as { before: number; during: number; after: number };
  expect(during).toBeGreaterThanOrEqual(before + 1000);
  expect(after).toBe(before);
});
