import { jest } from '@jest/globals';
import { z } from 'zod';
import { commonEnv, loadConfig, port } from '../../src/config.js';

const shape = { ...commonEnv, CORE_PORT: port(9663) };

let exit: jest.SpiedFunction<typeof process.exit>;
let error: jest.SpiedFunction<typeof console.error>;

beforeEach(() => {
  exit = jest.spyOn(process, 'exit').mockImplementation((code) => {
    throw new Error(`process.exit(${code})`);
  });
  error = jest.spyOn(console, 'error').mockImplementation(() => {});
});

afterEach(() => {
  exit.mockRestore();
  error.mockRestore();
});

/** Runs loadConfig expecting it to exit; returns the single line it printed. */
function failingLine(env: NodeJS.ProcessEnv, s: z.ZodRawShape = shape): string {
  expect(() => loadConfig(s, env)).toThrow('process.exit(2)');
  expect(exit).toHaveBeenCalledTimes(1);
  expect(exit).toHaveBeenCalledWith(2);
  expect(error).toHaveBeenCalledTimes(1);
  const line = String(error.mock.calls[0][0]);
  expect(error.mock.calls[0]).toHaveLength(1);
  expect(line).not.toContain('\n');
  return line;
}

describe('loadConfig', () => {
  test('defaults when nothing is set', () => {
    expect(loadConfig(shape, {})).toEqual({
      REDIS_URL: 'redis://127.0.0.1:6379',
      DATA_DIR: './data',
      LOG_LEVEL: 'info',
      CORE_PORT: 9663,
    });
    expect(exit).not.toHaveBeenCalled();
    expect(error).not.toHaveBeenCalled();
  });

  test('reads and coerces set values; ignores unknown variables', () => {
    const config = loadConfig(shape, {
      REDIS_URL: 'rediss://cache.internal:6380/2',
      DATA_DIR: '/var/lib/lila',
      SESSION_SECRET: 's'.repeat(32),
      LOG_LEVEL: 'debug',
      CORE_PORT: '8080',
      PATH: '/usr/bin',
    });
    expect(config).toEqual({
      REDIS_URL: 'rediss://cache.internal:6380/2',
      DATA_DIR: '/var/lib/lila',
      SESSION_SECRET: 's'.repeat(32),
      LOG_LEVEL: 'debug',
      CORE_PORT: 8080,
    });
  });

  test('an empty variable counts as unset (its default applies)', () => {
    expect(loadConfig(shape, { CORE_PORT: '', LOG_LEVEL: '', SESSION_SECRET: '' })).toEqual({
      REDIS_URL: 'redis://127.0.0.1:6379',
      DATA_DIR: './data',
      LOG_LEVEL: 'info',
      CORE_PORT: 9663,
    });
  });

  test('a bad port: exit 2, one line naming the variable and its value', () => {
    const line = failingLine({ CORE_PORT: 'eighty' });
    expect(line.startsWith('config: CORE_PORT="eighty": ')).toBe(true);
  });

  test.each([
    ['CORE_PORT', '0'],
    ['CORE_PORT', '65536'],
    ['CORE_PORT', '80.5'],
    ['REDIS_URL', 'http://127.0.0.1:6379'],
    ['LOG_LEVEL', 'verbose'],
  ])('%s=%s is refused with its name and value', (name, value) => {
    const line = failingLine({ [name]: value });
    expect(line.startsWith(`config: ${name}=${JSON.stringify(value)}: `)).toBe(true);
  });

  test('a short SESSION_SECRET: the message says why, and never shows the secret', () => {
    const line = failingLine({ SESSION_SECRET: 'short' });
    expect(line).toBe('config: SESSION_SECRET: at least 32 characters');
  });

  test('a bad REDIS_URL: the message says what is expected', () => {
    expect(failingLine({ REDIS_URL: 'localhost' })).toBe('config: REDIS_URL="localhost": a redis:// URL');
  });

  test('a missing required variable: named, without a value', () => {
    const line = failingLine({}, { CORE_URL: z.string().min(1) });
    expect(line).toMatch(/^config: CORE_URL: \S/);
  });

  test('a value with a newline is printed escaped, still on one line', () => {
    const line = failingLine({ LOG_LEVEL: 'info\nFAKE LOG LINE' });
    expect(line.startsWith('config: LOG_LEVEL="info\\nFAKE LOG LINE": ')).toBe(true);
  });

  test('reads process.env by default', () => {
    const saved = process.env.CORE_PORT;
    process.env.CORE_PORT = '7001';
    try {
      expect(loadConfig({ CORE_PORT: port(1) }).CORE_PORT).toBe(7001);
    } finally {
      if (saved === undefined) delete process.env.CORE_PORT;
      else process.env.CORE_PORT = saved;
    }
  });
});
