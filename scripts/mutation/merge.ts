import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Merges Stryker reports of separate folders (`MUTATE=<folder> npm run mutate` writes one each, in
 * reports/mutation/incremental-*.json) into one baseline for the incremental runs CI makes
 * (reports/stryker-incremental.json): folders can be measured side by side, one clone each, and
 * the baseline still covers every mutated file.
 *
 * Test ids are only unique within one report (`killedBy` and `coveredBy` point at them), so each
 * report's ids get its index as a prefix. A test file that reports saw in different versions keeps
 * the version as it is now (else the first seen) with the tests of the reports that saw that one;
 * mutants killed by tests of another version point at ids that no longer exist, and Stryker runs
 * them again: slower, never wrong.
 *
 *   node dist/scripts/mutation/merge.js <out.json> <report.json>...
 */
type Test = { id: string; name: string };
type TestFile = { source?: string; tests: Test[] };
type Mutant = { killedBy?: string[]; coveredBy?: string[] };
export type Report = {
  files: Record<string, { mutants: Mutant[] }>;
  testFiles?: Record<string, TestFile>;
  [key: string]: unknown;
};

export function mergeReports(reports: Report[], currentSource: (file: string) => string | undefined): Report {
  const files: Report['files'] = {};
  const testFiles: Record<string, TestFile> = {};
  reports.forEach((report, index) => {
    const id = (test: string) => `${index}-${test}`;
    for (const [file, entry] of Object.entries(report.files))
      files[file] = {
        ...entry,
        mutants: entry.mutants.map((m) => ({
          ...m,
          ...(m.killedBy && { killedBy: m.killedBy.map(id) }),
          ...(m.coveredBy && { coveredBy: m.coveredBy.map(id) }),
        })),
      };
    for (const [file, entry] of Object.entries(report.testFiles ?? {})) {
      const kept = testFiles[file];
      const tests = entry.tests.map((t) => ({ ...t, id: id(t.id) }));
      if (kept && kept.source === entry.source) kept.tests.push(...tests);
      else if (!kept || entry.source === currentSource(file)) testFiles[file] = { ...entry, tests };
    }
  });
  return { ...reports[0], files, testFiles };
}

function main(): void {
  const [out, ...inputs] = process.argv.slice(2);
  if (!out || inputs.length === 0) throw new Error('usage: merge.js <out.json> <report.json>...');
  const read = (file: string): string | undefined => {
    try {
      return readFileSync(file, 'utf8');
    } catch {
      return undefined; // A test file since removed: its tests are simply never matched.
    }
  };
  const reports = inputs.map((file) => JSON.parse(readFileSync(file, 'utf8')) as Report);
  const merged = mergeReports(reports, read);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify(merged));
  console.log(`${out}: ${Object.keys(merged.files).length} files from ${inputs.length} reports`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main();
