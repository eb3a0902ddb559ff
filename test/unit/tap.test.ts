import { jest } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openTap, readTap, redactSecrets, type TapEntry } from '../../src/tap.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lila-tap-test-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const entries: TapEntry[] = [
  { dir: 'open', sid: 's1', path: '/play/abcd1234', user: 'alice', relay: 'relay-1' },
  { dir: 'in', sid: 's1', raw: '{"t":"move","d":{"u":"e2e4","a":1}}' },
  { dir: 'in', sid: 's1', raw: 'null' },
  { dir: 'out', sid: 's1', raw: '0' },
  { dir: 'topic', topic: 'game:abcd1234', raw: '{"t":"move","v":1,"d":{"ply":1}}' },
  { dir: 'close', sid: 's1', code: 1000 },
  { dir: 'site-in', raw: '{"t":"move","relay":"relay-1","seq":1}' },
  { dir: 'pub', channel: 'game:abcd1234', raw: '{"t":"room","v":1}\n{"t":"move","v":1}' },
  {
    dir: 'http',
    method: 'POST',
    path: '/api/session',
    status: 201,
    user: null,
    body: { name: 'alice', password: '***' },
    response: { token: '***', user: { id: 'alice', name: 'alice' } },
  },
  { dir: 'http', method: 'GET', path: '/api/game/x/pgn', status: 200, user: 'bob', body: null, response: null },
];

test('openTap(undefined) is no tap at all', () => {
  expect(openTap(undefined, 'core')).toBeUndefined();
});

test('round trip: one JSON line per entry, stamped with ts and proc, read back validated', async () => {
  const file = join(dir, 'round-trip.jsonl');
  const before = Date.now();
  const tap = openTap(file, 'relay-1')!;
  for (const entry of entries) tap(entry);
  await tap.close();

  const text = readFileSync(file, 'utf8');
  expect(text.endsWith('\n')).toBe(true);
  expect(text.split('\n')).toHaveLength(entries.length + 1);
  const lines = readTap(text);
  expect(lines.map(({ ts: _ts, proc: _proc, ...entry }) => entry)).toEqual(entries);
  for (const line of lines) {
    expect(line.proc).toBe('relay-1');
    expect(line.ts).toBeGreaterThanOrEqual(before);
    expect(line.ts).toBeLessThanOrEqual(Date.now() + 1);
  }
  // Finer than the millisecond: lines of two processes in the same millisecond keep their order.
  expect(lines.some((line) => !Number.isInteger(line.ts))).toBe(true);
  // The field order is fixed: ts, proc, then the entry.
  expect(Object.keys(JSON.parse(text.split('\n')[0]))).toEqual(['ts', 'proc', 'dir', 'sid', 'path', 'user', 'relay']);
});

test('a tap appends: two processes (two taps) share one file, line by line', async () => {
  const file = join(dir, 'shared.jsonl');
  writeFileSync(file, '');
  const [a, b] = [openTap(file, 'relay-1')!, openTap(file, 'core')!];
  for (let i = 0; i < 200; i++) {
    a({ dir: 'in', sid: 'x', raw: `${i}`.repeat(50) });
    b({ dir: 'site-in', raw: `${i}`.repeat(50) });
  }
  await Promise.all([a.close(), b.close()]);
  const lines = readTap(readFileSync(file, 'utf8'));
  expect(lines).toHaveLength(400);
  expect(lines.filter((l) => l.proc === 'core')).toHaveLength(200);
});

test('closing twice, or writing to a file that cannot be opened, never throws', async () => {
  const tap = openTap(join(dir, 'twice.jsonl'), 'core')!;
  await tap.close();
  await tap.close();
  tap({ dir: 'site-in', raw: 'after close: dropped' });
  const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  const broken = openTap(join(dir, 'no-such-dir', 'tap.jsonl'), 'core')!;
  broken({ dir: 'site-in', raw: '{}' });
  await broken.close();
  broken({ dir: 'site-in', raw: '{}' });
  expect(errors).toHaveBeenCalledTimes(1);
  errors.mockRestore();
});

test('readTap skips blank lines', () => {
  const text = '\n{"ts":1,"proc":"core","dir":"site-in","raw":"{}"}\n\n   \n';
  expect(readTap(text)).toEqual([{ ts: 1, proc: 'core', dir: 'site-in', raw: '{}' }]);
});

test('readTap rejects a bad line, naming its number', () => {
  const good = '{"ts":1,"proc":"core","dir":"site-in","raw":"{}"}';
  expect(() => readTap(`${good}\n\n{"ts":1,"proc":"core"`)).toThrow(/^tap line 3: not JSON/);
  expect(() => readTap(`${good}\n{"ts":1,"proc":"core","dir":"sideways","raw":""}`)).toThrow(/^tap line 2: /);
  expect(() => readTap(`${good}\n${good}\n{"ts":1,"proc":"core","dir":"pub","raw":"x"}`)).toThrow(
    /^tap line 3: channel: /,
  );
  expect(() => readTap('{"ts":1,"proc":"r","dir":"close","sid":"s","code":1.5}')).toThrow(/^tap line 1: code: /);
});

describe('redactSecrets', () => {
  test('replaces every password and token field, at any depth, and nothing else', () => {
    const value = {
      name: 'alice',
      password: 'hunter22',
      session: { token: 'abc.def', user: { id: 'alice' } },
      list: [{ password: 'p' }, 'password', { token: null }],
    };
    expect(redactSecrets(value)).toEqual({
      name: 'alice',
      password: '***',
      session: { token: '***', user: { id: 'alice' } },
      list: [{ password: '***' }, 'password', { token: '***' }],
    });
    // The input is not modified.
    expect(value.password).toBe('hunter22');
  });

  test('gives values as JSON carries them: undefined reads as null', () => {
    expect(redactSecrets(undefined)).toBeNull();
    expect(redactSecrets(null)).toBeNull();
    expect(redactSecrets('text')).toBe('text');
    expect(redactSecrets({ a: undefined, b: [undefined], c: new Date(0) })).toEqual({
      b: [null],
      c: '1970-01-01T00:00:00.000Z',
    });
  });
});
