import { readFileSync } from 'node:fs';
import ts from 'typescript';

/**
 * Mutation testing (`npm run mutate`): StrykerJS plants small bugs in the pure modules, one at a
 * time, and runs the unit tests that cover each; a mutant no test catches is a gap in the tests.
 * The report goes to reports/mutation/ (HTML and JSON). Incremental: mutants of unchanged code
 * and tests keep their last result (reports/stryker-incremental.json, committed: CI runs from it, see README),
 * so a rerun tests only what changed.
 *
 * The files mutated are tsconfig.stryker.json's list, which is also the small program the
 * TypeScript checker compiles for each mutant (a mutant that does not compile is no test gap).
 * `MUTATE=ws-server,protocol npm run mutate` narrows the run to the listed files under those
 * folders, with an incremental file of its own so that the baseline keeps every folder.
 */
const checkerConfig = ts.parseConfigFileTextToJson(
  'tsconfig.stryker.json',
  readFileSync('tsconfig.stryker.json', 'utf8'),
).config;
const folders = process.env.MUTATE?.split(',').filter(Boolean) ?? [];
const mutate = checkerConfig.include.filter(
  (file) => folders.length === 0 || folders.some((folder) => file.startsWith(`${folder}/`)),
);
const incrementalFile =
  folders.length === 0
    ? 'reports/stryker-incremental.json'
    : `reports/mutation/incremental-${folders.join('+').replaceAll('/', '-')}.json`;

export default {
  packageManager: 'npm',
  testRunner: 'jest',
  testRunnerNodeArgs: ['--experimental-vm-modules', '--no-warnings=ExperimentalWarning'],
  // Per mutant: only the test files that import the mutated file, and in them only the tests
  // that ran its code (coverageAnalysis perTest).
  jest: { configFile: 'jest.stryker.config.js', enableFindRelatedTests: true },
  coverageAnalysis: 'perTest',
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.stryker.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  mutate,
  ignorePatterns: ['dist', 'data', 'reports', 'bench/results', '.stryker-tmp'],
  incremental: true,
  incrementalFile,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  concurrency: 2,
  // A mutant that loops is a timeout (killed) after its tests' usual time × 1.5 plus this.
  timeoutMS: 8000,
  thresholds: { high: 90, low: 85, break: null },
};
