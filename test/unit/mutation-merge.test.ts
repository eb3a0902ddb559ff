import { mergeReports, type Report } from '../../scripts/mutation/merge.js';

/** Per-folder Stryker reports merged into one incremental baseline (scripts/mutation/merge.ts). */
const report = (file: string, testSource: string, testName: string): Report => ({
  schemaVersion: '2',
  files: { [file]: { mutants: [{ killedBy: ['0'], coveredBy: ['0', '1'] }] } },
  testFiles: {
    'test/unit/a.test.ts': {
      source: testSource,
      tests: [
        { id: '0', name: testName },
        { id: '1', name: `${testName} too` },
      ],
    },
  },
});

test('every file of every report is kept, with test ids made unique per report', () => {
  const merged = mergeReports([report('x/one.ts', 'now', 'one'), report('y/two.ts', 'now', 'two')], () => 'now');
  expect(Object.keys(merged.files)).toEqual(['x/one.ts', 'y/two.ts']);
  expect(merged.files['y/two.ts'].mutants[0]).toEqual({ killedBy: ['1-0'], coveredBy: ['1-0', '1-1'] });
  expect(merged.schemaVersion).toBe('2');
  // One test file seen alike by both: the tests of both, each id pointing at its own report's test.
  expect(merged.testFiles?.['test/unit/a.test.ts'].tests.map((t) => [t.id, t.name])).toEqual([
    ['0-0', 'one'],
    ['0-1', 'one too'],
    ['1-0', 'two'],
    ['1-1', 'two too'],
  ]);
});

test('a test file seen in two versions keeps the one it has now, with only that version’s tests', () => {
  const older = report('x/one.ts', 'before', 'one');
  const newer = report('y/two.ts', 'now', 'two');
  for (const order of [
    [older, newer],
    [newer, older],
  ]) {
    const merged = mergeReports(order, () => 'now');
    const kept = merged.testFiles?.['test/unit/a.test.ts'];
    expect(kept?.source).toBe('now');
    expect(kept?.tests.map((t) => t.name)).toEqual(['two', 'two too']);
  }
});
