import base from './jest.config.js';

/** The unit tests alone, for mutation testing (stryker.config.mjs): they run per mutant. */
export default { ...base, testMatch: ['<rootDir>/test/unit/**/*.test.ts'], maxWorkers: 1 };
