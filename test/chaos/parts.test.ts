import { WebSocketServer } from 'ws';
import type { ChaosGame } from '../../scripts/chaos/bots.js';
import { moveVerdict } from '../../scripts/chaos/checks.js';
import { judgeMemory, type MemorySample } from '../../scripts/chaos/memory.js';
import { faultSchedule } from '../../scripts/chaos/schedule.js';
import { Watcher } from '../../scripts/fuzz/watcher.js';

/** The chaos run's parts: its schedule, its move check, its memory judgement, and its spectators. */

const options = { seed: 7, durationMs: 600_000, minGapMs: 3000, maxGapMs: 8000, relays: 2 };

describe('the fault schedule', () => {
  test('is the same for the same seed, and another for another seed', () => {
    expect(faultSchedule(options)).toEqual(faultSchedule(options));
    expect(faultSchedule({ ...options, seed: 8 })).not.toEqual(faultSchedule(options));
  });

  test('spaces faults within the gaps, inside the duration, over every kind, relay and signal', () => {
    const faults = faultSchedule(options);
    const gaps = faults.map((f, i) => f.atMs - (i ? faults[i - 1].atMs : 0));
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(2999);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(8001);
    expect(faults.at(-1)!.atMs).toBeLessThan(options.durationMs);
    expect(new Set(faults.map((f) => f.target))).toEqual(new Set(['relay-1', 'relay-2', 'core', 'redis', 'ferretdb']));
    expect(new Set(faults.map((f) => f.signal))).toEqual(new Set(['SIGKILL', 'SIGTERM']));
    for (const f of faults) expect(f.target.startsWith(f.kind)).toBe(true);
  });

  test('refuses gaps that would never end', () => {
    expect(() => faultSchedule({ ...options, minGapMs: 0 })).toThrow();
  });
});

describe('the move check', () => {
  const game = (acked: [number, string][], sent: [number, string][], refusals: string[] = []): ChaosGame => ({
    id: 'g',
    acked: new Map(acked),
    sent: new Map(sent.map(([ply, uci]) => [ply, new Set([uci])])),
    refusals,
    end: { status: 'resign', winner: 'white' },
  });
  const sent: [number, string][] = [
    [0, 'e2e4'],
    [1, 'e7e5'],
    [2, 'g1f3'],
  ];

  test('holds when the saved moves are the acknowledged ones (a saved move not yet acked is fine)', () => {
    const verdict = moveVerdict(game(sent.slice(0, 2), sent), { moves: ['e2e4', 'e7e5', 'g1f3'], status: 'resign' });
    expect(verdict).toEqual({ lost: [], twice: [], stuck: undefined });
  });

  test('finds an acknowledged move lost, a move saved that no bot sent there, a duplicate refused, a game not ended', () => {
    expect(moveVerdict(game(sent, sent), { moves: ['e2e4', 'e7e5'], status: 'resign' }).lost).toEqual([
      'g ply 3: g1f3 was acknowledged, nothing is saved',
    ]);
    expect(moveVerdict(game(sent, sent), { moves: ['e2e4', 'e7e5', 'g1f3', 'g1f3'], status: 'resign' }).twice).toEqual([
      'g ply 4: g1f3 is saved, no bot sent it there (sent: nothing)',
    ]);
    expect(
      moveVerdict(game(sent, sent, ['white: not_your_turn']), { moves: ['e2e4', 'e7e5', 'g1f3'], status: 'resign' })
        .twice,
    ).toEqual(['g: white: not_your_turn']);
    expect(moveVerdict(game(sent, sent), { moves: ['e2e4', 'e7e5', 'g1f3'], status: 'started' }).stuck).toMatch(
      /not ended/,
    );
  });
});

describe('the memory judgement', () => {
  const rule = { fromMs: 0, toMs: 90_000, settleMs: 15_000, tolerance: 0.25, slackKiB: 0 };
  /** One reading every 5 s from `start` to `end` of pid `pid`, growing `perReading` each time. */
  const readings = (name: string, pid: number, start: number, end: number, kiB: number, perReading = 0) =>
    Array.from({ length: (end - start) / 5000 + 1 }, (_, i): MemorySample => ({
      name,
      pid,
      atMs: start + i * 5000,
      kiB: kiB + i * perReading,
    }));

  test('a process that stays at its size is bounded; one that keeps growing is not', () => {
    const [steady, growing] = judgeMemory(
      [...readings('steady', 1, -20_000, 90_000, 100_000), ...readings('growing', 2, -20_000, 90_000, 100_000, 5000)],
      rule,
    );
    expect(steady).toMatchObject({ judged: true, bounded: true, incarnations: 1 });
    expect(growing).toMatchObject({ judged: true, bounded: false });
  });

  test('a restarted process starts afresh: readings count once it has settled', () => {
    // Big at first, then killed and started again: its young readings are not its steady size.
    const samples = [
      ...readings('core', 1, -20_000, 20_000, 200_000),
      ...readings('core', 2, 25_000, 90_000, 150_000),
      ...readings('core', 2, 25_000, 35_000, 400_000).map((s) => ({ ...s, atMs: s.atMs - 1 })),
    ];
    const [core] = judgeMemory(samples, rule);
    expect(core).toMatchObject({ judged: true, bounded: true, incarnations: 2, firstPeakKiB: 200_000 });
  });

  test('a process never up long enough in both windows is said not judged', () => {
    const [relay] = judgeMemory(readings('relay', 3, 70_000, 90_000, 100_000), rule);
    expect(relay).toMatchObject({ judged: false, bounded: true });
  });
});

test("a spectator that comes back to a finished game (resync, then the state) has seen the game's end", async () => {
  // A relay started afresh has no history: a socket back with ?v= gets resync and the state, no `end`.
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  server.on('connection', (ws) => {
    ws.send('{"t":"resync"}');
    ws.send('{"t":"state","v":41,"d":{"status":"resign","moves":[]}}');
  });
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as { port: number };
  const watcher = new Watcher('g', () => `ws://127.0.0.1:${port}`);
  watcher.lastV = 30;
  watcher.start();
  try {
    expect(await watcher.end(5000)).toBe(true);
    expect({ lastV: watcher.lastV, problems: watcher.problems }).toEqual({ lastV: 41, problems: [] });
  } finally {
    watcher.stop();
    await new Promise((resolve) => server.close(resolve));
  }
});
