import type { ChildProcess } from 'node:child_process';
import type { Service } from '../../scripts/stack/services.js';
import { createSupervisor } from '../../scripts/stack/supervise.js';

/** A process that exits when told to, with the code or signal given. */
type Fake = Service & { die(code: number | null, signal?: NodeJS.Signals): void };

let nextPid = 100;
function fakeService(name: string, stops: string[]): Fake {
  let exit!: (code: number | null) => void;
  const exited = new Promise<number | null>((resolve) => (exit = resolve));
  const process = { pid: nextPid++, signalCode: null as NodeJS.Signals | null };
  let dead = false;
  const die = (code: number | null, signal?: NodeJS.Signals) => {
    if (dead) return;
    dead = true;
    process.signalCode = signal ?? null;
    exit(code);
  };
  return {
    name,
    process: process as unknown as ChildProcess,
    output: [],
    exited,
    die,
    stop(signal = 'SIGTERM') {
      if (!dead) stops.push(`${name} ${signal}`);
      die(null, signal);
      return exited;
    },
  };
}

const policy = { firstDelayMs: 100, maxDelayMs: 1000, resetAfterMs: 60_000 };

/** A supervisor whose lines are kept, and a way to wait for one. */
function supervised() {
  const lines: string[] = [];
  const waiting: { re: RegExp; done: () => void }[] = [];
  const say = (line: string) => {
    lines.push(line);
    for (const w of [...waiting])
      if (w.re.test(line)) {
        waiting.splice(waiting.indexOf(w), 1);
        w.done();
      }
  };
  const line = (re: RegExp) =>
    lines.some((l) => re.test(l)) ? Promise.resolve() : new Promise<void>((done) => waiting.push({ re, done }));
  return { supervisor: createSupervisor({ say, policy }), lines, line };
}

test('a child that exits is started again, with a line saying what exited, how, and when it comes back', async () => {
  const { supervisor, lines, line } = supervised();
  const started: Fake[] = [];
  const stops: string[] = [];
  await supervisor.run({
    name: 'core',
    stopTier: 0,
    start: () => {
      started.push(fakeService('core', stops));
      return Promise.resolve(started.at(-1)!);
    },
  });
  expect(lines).toEqual([`core started (pid ${started[0].process.pid})`]);

  started[0].die(null, 'SIGKILL');
  await line(/core restarted/);
  expect(started).toHaveLength(2);
  expect(lines[1]).toMatch(/^core exited \(signal SIGKILL\) after \d+\.\d s up; restarting in 0\.1 s$/);
  expect(lines[2]).toBe(`core restarted (pid ${started[1].process.pid})`);

  // Exiting again soon after: twice the delay.
  started[1].die(1);
  await line(/restarting in 0\.2 s/);
  expect(lines[3]).toMatch(/^core exited \(code 1\) after .* restarting in 0\.2 s$/);
  await supervisor.stop();
});

test('a restart that fails is tried again later', async () => {
  const { supervisor, lines, line } = supervised();
  const stops: string[] = [];
  let attempts = 0;
  const first = fakeService('redis', stops);
  await supervisor.run({
    name: 'redis',
    stopTier: 0,
    start: () => {
      attempts++;
      if (attempts === 1) return Promise.resolve(first);
      if (attempts === 2) return Promise.reject(new Error('redis exited with 1 before it was ready:\nport taken'));
      return Promise.resolve(fakeService('redis', stops));
    },
  });
  first.die(null, 'SIGKILL');
  await line(/redis restarted/);
  expect(attempts).toBe(3);
  expect(lines).toContainEqual('redis could not start (redis exited with 1 before it was ready:); restarting in 0.2 s');
  await supervisor.stop();
});

test('stop() stops tier after tier, and nothing exiting then is started again', async () => {
  const { supervisor, lines } = supervised();
  const stops: string[] = [];
  let starts = 0;
  const child = (name: string, stopTier: number) => ({
    name,
    stopTier,
    start: () => {
      starts++;
      return Promise.resolve(fakeService(name, stops));
    },
  });
  await supervisor.run(child('redis', 3));
  await supervisor.run(child('core', 2));
  await supervisor.run(child('relay-1', 0));
  await supervisor.run(child('relay-2', 0));
  await supervisor.run(child('nginx', 1));
  await supervisor.stop();
  expect(stops).toEqual(['relay-1 SIGTERM', 'relay-2 SIGTERM', 'nginx SIGTERM', 'core SIGTERM', 'redis SIGTERM']);
  expect(lines.slice(-4)).toEqual(['stopping relay-1, relay-2', 'stopping nginx', 'stopping core', 'stopping redis']);
  // Every exit above came from the stop: no restart was scheduled.
  await new Promise((resolve) => setTimeout(resolve, policy.firstDelayMs * 3));
  expect(starts).toBe(5);
});

test('a child waiting for its restart when the stack stops is not started again', async () => {
  const { supervisor, line } = supervised();
  const stops: string[] = [];
  let starts = 0;
  const first = fakeService('core', stops);
  await supervisor.run({
    name: 'core',
    stopTier: 0,
    start: () => {
      starts++;
      return Promise.resolve(first);
    },
  });
  first.die(null, 'SIGKILL');
  await line(/restarting in/);
  await supervisor.stop();
  await new Promise((resolve) => setTimeout(resolve, policy.firstDelayMs * 3));
  expect(starts).toBe(1);
});
