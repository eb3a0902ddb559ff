import base from './jest.config.js';

/**
 * The unit tests alone, for mutation testing (stryker.config.mjs): they run per mutant. Not the
 * layout test: it reads the sources, which Stryker's sandbox holds instrumented (every mutant in).
 */
export default {
  ...base,
  testMatch: ['<rootDir>/test/unit/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/unit/layout\\.test\\.ts$'],
  maxWorkers: 1,
};
