/**
 * Mutation testing (`npm run mutate`): StrykerJS plants small bugs in the pure modules, one at a
 * time, and runs the unit tests that cover each; a mutant no test catches is a gap in the tests.
 * The report goes to reports/mutation/ (HTML and JSON). Incremental: mutants of unchanged code
 * and tests keep their last result (reports/stryker-incremental.json), so a rerun tests only
 * what changed. `npm run mutate -- --mutate <file>` narrows it to one file.
 */
export default {
  packageManager: 'npm',
  testRunner: 'jest',
  testRunnerNodeArgs: ['--experimental-vm-modules', '--no-warnings=ExperimentalWarning'],
  jest: { configFile: 'jest.stryker.config.js', enableFindRelatedTests: true },
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  coverageAnalysis: 'perTest',
  mutate: [
    // The game's rules and clocks: pure transitions (persistence and the live-game loop are not).
    'lila-core/game/{berserk,chess,clock,delta,doubt,game,glicko,offers,pgn,play,repetition}.ts',
    // Pairing and ratings.
    'lila-core/lobby/pairing.ts',
    'lila-core/users/ratings.ts',
    // The relay's small modules.
    'ws-server/{history,sequence,outbox,frames,audience,catch-up}.ts',
    // The protocol's decoders, and tokens.
    'protocol/{client-in,client-out,core-in,core-out,wire,channels}.ts',
    'src/token.ts',
  ],
  ignorePatterns: ['dist', 'data', 'reports', 'bench/results', '.stryker-tmp'],
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  concurrency: 2,
  timeoutMS: 20000,
  thresholds: { high: 90, low: 85, break: null },
};
