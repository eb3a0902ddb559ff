/** The tests' ephemeral stack is the replay tool's (`npm run replay -- --start`). */
export * from '../../src/stack.js';
