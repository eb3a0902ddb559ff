import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import { readOpenings } from '../fixtures/generate.js';
import { projectRoot, type Service } from '../stack/services.js';
import type { Stack } from '../stack/stack.js';
import { Api, type Player } from './api.js';
import { Bots } from './bots.js';
import { gameProblems } from './invariants.js';
import {
  collectGarbage,
  coreIdle,
  healthStatus,
  inspectorUrl,
  metricSum,
  rssKiB,
  running,
  SiteInMonitor,
  writeHeapSnapshot,
} from './observe.js';
import { Slot, type Context, type Pair, type SentFrame } from './slot.js';
import { Counter, Tally } from './tally.js';
import { spectatorVerdict, Watcher } from './watcher.js';

/**
 * The fuzz run: on a real stack (redis-server, FerretDB, lila-core, two relays), bots play real
 * games while fuzz socket slots send generated frames to every endpoint; `site-in` is checked
 * message by message. Then: every process still up and healthy, memory back within 10% of its
 * baseline (taken after a warm-up, each process garbage-collected before each reading), and every
 * game's invariants (contiguous versions as its spectator saw them, its saved state equal to a
 * replay of its moves).
 */
export type FuzzOptions = {
  /** Frames to send in the measured phase. */
  frames: number;
  seed: number;
  /** Fuzz sockets open at once. */
  slots: number;
  /** Frames sent before the memory baseline, to warm every process up. */
  warmup: number;
  /** Bot games played at once. */
  botPairs: number;
  /** The fuzzer's own games, each fuzzed by /play sockets of both its players. */
  fuzzPairs: number;
  /** The run stops there, whatever is left to send. */
  timeLimitMs: number;
  /** Where to write each Node process's heap snapshot at both memory readings (none when absent). */
  snapshotDir?: string;
  log: (line: string) => void;
};

/** Environment for startStack: each Node process opens its inspector on a free loopback port, for the GC before a memory reading. */
export const FUZZ_STACK_ENV = { NODE_OPTIONS: '--inspect=127.0.0.1:0', LOG_LEVEL: 'error' };

/** Slot numbers of the warm-up: frame ids `1000000.c.i` are the warm-up's. */
export const WARMUP_SLOTS = 1_000_000;

/** Memory readings at the baseline and at the end, and the time between them (see gcAll). */
const SETTLE_READINGS = 3;
const SETTLE_EVERY_MS = 10_000;

/** Resident memory may grow this much between the baseline and the end. */
export const MEMORY_TOLERANCE = 0.1;

/** VmRSS in KiB (what the check compares) and the JS heap in use in bytes (where a growth comes from). */
export type MemoryReading = {
  name: string;
  beforeKiB: number;
  afterKiB: number;
  growth: number;
  heapBefore: number;
  heapAfter: number;
  /** V8's heap as committed (process.memoryUsage().heapTotal), in bytes: RSS less this is native memory. */
  committedBefore: number;
  committedAfter: number;
};

export type FuzzReport = {
  seed: number;
  frames: number;
  seconds: number;
  framesPerSecond: number;
  complete: boolean;
  tally: Tally;
  /** Frames the relays dropped for their per-socket limits (their metric), and sockets they closed for flooding. */
  relayDropped: number;
  floodClosed: number;
  siteIn: { messages: number; invalid: number; byType: Counter; samples: string[] };
  crashed: string[];
  unhealthy: string[];
  memory: MemoryReading[];
  /** `resumedBehind`: finished games whose spectator is behind by versions reserved and never published. */
  games: { checked: number; watched: number; resumedBehind: number; problems: string[] };
  bots: { games: number; moves: number; ackP50: number; ackP99: number; ackMax: number; problems: string[] };
  /** The last frames sent to a process that died, to replay. */
  lastFrames: SentFrame[];
  /** The processes' own error lines (pino level error and fatal), the last 10 of each: why a problem happened. */
  errors: string[];
  ok: boolean;
};

/** Real opening lines (SAN) from ../shared/data/openings, or none when that folder is absent. */
export function openingLines(): string[][] {
  const dir = join(projectRoot, '..', 'shared', 'data', 'openings');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((file) => file.endsWith('.tsv'))
    .flatMap((file) => readOpenings(readFileSync(join(dir, file), 'utf8')).map((line) => line.sans));
}

export const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : 0;
};

export async function runFuzz(stack: Stack, o: FuzzOptions): Promise<FuzzReport> {
  const api = new Api(stack.httpUrl);
  const relayHttp = stack.relayUrls.map((url) => url.replace(/^ws/, 'http'));
  const processes: Service[] = [stack.core, ...stack.relays];
  const crashed: string[] = [];
  let done = false;
  for (const service of [stack.redis, ...processes])
    void service.exited.then((code) => {
      if (!done) crashed.push(`${service.name} exited with ${code} (signal ${service.process.signalCode})`);
    });

  const siteIn = await SiteInMonitor.start(stack.redisUrl);
  o.log(`seed ${o.seed}: making players…`);
  const madeAt = Date.now();
  const many = <T>(n: number, make: () => Promise<T>) => Promise.all(Array.from({ length: n }, make));
  const [accounts, anons, botPlayers, pairPlayers] = await Promise.all([
    many(3, () => api.account('fz')),
    many(24, () => api.anonymous()),
    // Challenges are between accounts.
    many(o.botPairs * 2, () => api.account('bot')),
    many(o.fuzzPairs * 2, () => api.account('fzp')),
  ]);
  o.log(
    `  ${accounts.length + botPlayers.length + pairPlayers.length} accounts, ${anons.length} anonymous sessions in ${Date.now() - madeAt} ms`,
  );
  const fuzzClock = { limit: 300, increment: 3 };
  const pairs: Pair[] = await Promise.all(
    Array.from({ length: o.fuzzPairs }, async (_, i) => {
      const [white, black] = [pairPlayers[2 * i], pairPlayers[2 * i + 1]];
      return { white, black, gameId: await api.game(white, black, fuzzClock) };
    }),
  );

  // Spectators: one per bot game and per fuzzed game, each checking its versions.
  const watchers = new Map<string, Watcher>();
  const watch = (gameId: string) => {
    if (watchers.has(gameId)) return;
    const watcher = new Watcher(gameId, () => stack.relayUrls[watchers.size % stack.relayUrls.length]);
    watchers.set(gameId, watcher);
    watcher.start();
  };
  pairs.forEach((pair) => watch(pair.gameId));
  const seen = new Set<string>();
  const bots = new Bots({
    api,
    relayUrls: stack.relayUrls,
    seed: o.seed,
    pairs: Array.from({ length: o.botPairs }, (_, i) => [botPlayers[2 * i], botPlayers[2 * i + 1]] as [Player, Player]),
    lines: openingLines(),
    started: watch,
  });
  bots.start();

  // A fuzzed game that ended is replaced, at most every 15 s per pair: each new game is a write,
  // and FerretDB slows down with every game it holds.
  let renewing = true;
  const renewedAt = pairs.map(() => 0);
  const ctx: Context = {
    seed: o.seed,
    relayUrls: stack.relayUrls,
    pairs,
    botGames: () => bots.games.filter((game) => !game.end).map((game) => game.id),
    anons,
    accounts: [...accounts, ...pairPlayers],
    budget: { left: 0 },
    tally: new Tally(),
    recent: stack.relayUrls.map(() => []),
    gameSeen: (id) => seen.size < 5000 && seen.add(id),
    pairEnded: (i, gameId) => {
      const pair = pairs[i];
      if (!renewing || pair.gameId !== gameId || Date.now() - renewedAt[i] < 15_000) return;
      renewedAt[i] = Date.now();
      api.game(pair.white, pair.black, fuzzClock).then(
        (id) => {
          pair.gameId = id;
          watch(id);
        },
        (err: Error) => ctx.tally.finding(`a new game for pair ${i}: ${err.message}`),
      );
    },
  };

  let slots: Slot[] = [];
  /** Warm-up slots are numbered from WARMUP_SLOTS, so that the measured phase sends other frames. */
  const phase = async (frames: number, deadline: number, first: number) => {
    ctx.budget.left = frames;
    slots = Array.from({ length: o.slots }, (_, i) => new Slot(first + i, ctx));
    const stopAll = () => slots.forEach((slot) => slot.stop());
    const guard = setInterval(() => {
      if (crashed.length || Date.now() > deadline) stopAll();
    }, 250);
    try {
      await Promise.all(slots.map((slot) => slot.run()));
    } finally {
      clearInterval(guard);
    }
  };

  // Read now: a process's output keeps only its last lines, and the inspector's comes first.
  const inspectors = new Map(processes.map((service) => [service, inspectorUrl(service)]));
  /** Each process garbage-collected, then its VmRSS (KiB) and JS heap in use and committed (bytes). */
  type Reading = { rss: number; heap: number; committed: number };
  const gcOnce = async (): Promise<Map<string, Reading>> => {
    const readings = new Map<string, Reading>();
    for (const service of processes) {
      const url = inspectors.get(service);
      // Twice: what the first collection finalizes, the second frees.
      if (url) await collectGarbage(url);
      const usage = url ? await collectGarbage(url) : undefined;
      if (service.process.pid !== undefined && running(service))
        readings.set(service.name, {
          rss: rssKiB(service.process.pid),
          heap: usage?.heapUsed ?? NaN,
          committed: usage?.heapTotal ?? NaN,
        });
    }
    return readings;
  };
  /**
   * The reading once memory has settled: V8 gives committed pages back, and glibc trims, some
   * seconds after the load stops, so memory is read SETTLE_READINGS times, SETTLE_EVERY_MS apart,
   * and the last counts (each printed, for the record). The baseline is read the same way.
   */
  const gcAll = async (label: string): Promise<Map<string, Reading>> => {
    const rounds: Map<string, Reading>[] = [];
    for (let round = 0; round < SETTLE_READINGS; round++) {
      if (round > 0) await new Promise((resolve) => setTimeout(resolve, SETTLE_EVERY_MS));
      rounds.push(await gcOnce());
    }
    for (const name of rounds[0].keys())
      o.log(
        `  memory ${label}, ${name}: ${rounds.map((r) => Math.round((r.get(name)?.rss ?? NaN) / 1024)).join(' → ')} MiB`,
      );
    if (o.snapshotDir)
      for (const service of processes) {
        const url = inspectors.get(service);
        if (url) await writeHeapSnapshot(url, join(o.snapshotDir, `${service.name}-${label}.heapsnapshot`));
      }
    return rounds[rounds.length - 1];
  };

  const started = Date.now();
  // Warm-up: every code path loaded and compiled, caches at their working size, then the baseline.
  o.log(`warm-up: ${o.warmup} frames over ${o.slots} sockets…`);
  await phase(o.warmup, started + o.timeLimitMs, WARMUP_SLOTS);
  await siteIn.quiet(2000, 30_000);
  if (!(await coreIdle(stack.httpUrl, 60_000))) o.log('warm-up: lila-core still had game actions queued after 60 s');
  const before = await gcAll('before');
  const warmupSent = ctx.tally.sent;

  o.log(`fuzzing: ${o.frames} frames…`);
  const mainStart = Date.now();
  const progress = setInterval(() => {
    const sent = ctx.tally.sent - warmupSent;
    const seconds = (Date.now() - mainStart) / 1000;
    o.log(
      `  ${sent} frames (${Math.round(sent / seconds)}/s), site-in ${siteIn.byType.total()} (${siteIn.invalid} invalid), ` +
        `rate-limited by the relay ${ctx.tally.relayRateLimited()}, bot acks p99 ${percentile(bots.ackMs.slice(-500), 99)} ms`,
    );
  }, 10_000);
  try {
    await phase(o.frames, started + o.timeLimitMs, 0);
  } finally {
    clearInterval(progress);
  }
  const mainSeconds = (Date.now() - mainStart) / 1000;
  const mainSent = ctx.tally.sent - warmupSent;
  renewing = false;
  o.log(`sent ${mainSent} frames in ${mainSeconds.toFixed(1)} s; checking…`);

  // Every game comes to an end: the bots resign theirs, the fuzzed ones are resigned by a player.
  await bots.finish();
  await Promise.all(pairs.map((pair) => resign(stack.relayUrls[0], pair)));
  await Promise.all([...watchers.values()].map((watcher) => watcher.end(5000)));
  await Promise.all([...watchers.values()].map((watcher) => watcher.settled()));

  watchers.forEach((watcher) => watcher.stop());

  // Memory once every socket is gone: the relays' counts at 0, then a GC.
  const drainDeadline = Date.now() + 15_000;
  for (const url of relayHttp)
    while (Date.now() < drainDeadline) {
      const res = await fetch(`${url}/health`).then(
        (r) => r.json() as Promise<{ connections?: number }>,
        () => ({}),
      );
      if ((res as { connections?: number }).connections === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  // And lila-core done with what it was given: relays keep what they sent until lila-core has it.
  await siteIn.quiet(3000, 60_000);
  if (!(await coreIdle(stack.httpUrl, 120_000))) o.log('lila-core still had game actions queued after 120 s');
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const after = crashed.length ? new Map<string, Reading>() : await gcAll('after');
  const memory: MemoryReading[] = [...before].map(([name, { rss, heap, committed }]) => {
    const afterKiB = after.get(name)?.rss ?? NaN;
    return {
      name,
      beforeKiB: rss,
      afterKiB,
      growth: afterKiB / rss - 1,
      heapBefore: heap,
      heapAfter: after.get(name)?.heap ?? NaN,
      committedBefore: committed,
      committedAfter: after.get(name)?.committed ?? NaN,
    };
  });

  const gameProblemsFound: string[] = [];
  let resumedBehind = 0;
  const ids = new Set([...seen, ...watchers.keys(), ...bots.games.map((game) => game.id)]);
  // Read after the memory reading: a finished game read again comes back into lila-core's memory for a minute.
  await eachOf([...ids], async (id) => {
    try {
      const game = await api.gameJson(id);
      for (const problem of gameProblems(game)) gameProblemsFound.push(`${id}: ${problem}`);
      const watcher = watchers.get(id);
      if (watcher) {
        const verdict = spectatorVerdict(game, watcher);
        gameProblemsFound.push(...verdict.problems);
        if (verdict.resumedBehind) resumedBehind++;
      }
      const bot = bots.games.find((g) => g.id === id);
      if (bot?.end) {
        if (bot.moves.join(' ') !== game.moves.join(' '))
          gameProblemsFound.push(
            `${id}: the bots played [${bot.moves.join(' ')}], the game saved [${game.moves.join(' ')}]`,
          );
        if (bot.end.status !== game.status || bot.end.winner !== game.winner)
          gameProblemsFound.push(
            `${id}: ended ${bot.end.status}/${bot.end.winner} on the socket, ${game.status}/${game.winner} saved`,
          );
      }
    } catch (err) {
      gameProblemsFound.push(`${id}: ${(err as Error).message}`);
    }
  });

  // Every frame the relays dropped for their limits (the sockets are told only once a second).
  const relayCount = async (name: string) =>
    (await Promise.all(relayHttp.map((url) => metricSum(url, name).catch(() => NaN)))).reduce((a, b) => a + b, 0);
  const dropped = await relayCount('lila_relay_rate_limited_total');
  const floodClosed = await relayCount('lila_relay_flood_closed_total');

  const unhealthy: string[] = [];
  for (const [name, url] of [
    ['core', stack.httpUrl] as const,
    ...relayHttp.map((url, i) => [`relay-${i + 1}`, url] as const),
  ]) {
    const status = await healthStatus(url);
    if (status !== 200) unhealthy.push(`${name}: /health answered ${status || 'nothing'}`);
  }
  for (const service of processes) if (!running(service)) unhealthy.push(`${service.name} is not running`);
  await new Promise((resolve) => setTimeout(resolve, 500));
  await siteIn.stop();
  done = true;

  const lastFrames = crashed.length ? ctx.recent.flatMap((frames) => frames.slice(-20)) : [];
  const botMoves = bots.games.reduce((sum, game) => sum + game.moves.length, 0);
  const report: FuzzReport = {
    seed: o.seed,
    frames: mainSent,
    seconds: mainSeconds,
    framesPerSecond: mainSent / mainSeconds,
    complete: mainSent >= o.frames,
    tally: ctx.tally,
    relayDropped: dropped,
    floodClosed,
    siteIn: {
      messages: siteIn.byType.total(),
      invalid: siteIn.invalid,
      byType: siteIn.byType,
      samples: siteIn.samples,
    },
    crashed,
    unhealthy,
    memory,
    games: { checked: ids.size, watched: watchers.size, resumedBehind, problems: gameProblemsFound },
    bots: {
      games: bots.games.length,
      moves: botMoves,
      ackP50: percentile(bots.ackMs, 50),
      ackP99: percentile(bots.ackMs, 99),
      ackMax: percentile(bots.ackMs, 100),
      problems: bots.problems,
    },
    lastFrames,
    errors: processes.flatMap((service) =>
      service.output
        .filter((line) => /"level":(50|60)\b/.test(line))
        .slice(-10)
        .map((line) => `${service.name}: ${line.slice(0, 400)}`),
    ),
    ok: false,
  };
  report.ok =
    report.complete &&
    !crashed.length &&
    !unhealthy.length &&
    siteIn.invalid === 0 &&
    memory.length === processes.length &&
    memory.every((m) => m.growth <= MEMORY_TOLERANCE && !Number.isNaN(m.heapAfter)) &&
    !gameProblemsFound.length &&
    !bots.problems.length &&
    !ctx.tally.findingCount;
  return report;
}

/** `work` on every item, 8 at a time. */
async function eachOf<T>(items: T[], work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

/** The white player of a fuzzed game resigns it, if it is still on. */
function resign(relayUrl: string, pair: Pair): Promise<void> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${relayUrl}/play/${pair.gameId}?token=${encodeURIComponent(pair.white.token)}`);
    const timer = setTimeout(() => ws.terminate(), 5000);
    ws.on('message', (data) => {
      const frame = JSON.parse((data as Buffer).toString()) as { t?: string; d?: { status?: string } };
      if (frame.t === 'state' && frame.d?.status !== 'started') return ws.close();
      if (frame.t === 'state') ws.send(JSON.stringify({ t: 'resign' }));
      if (frame.t === 'end' || frame.t === 'error') ws.close();
    });
    ws.on('error', () => undefined); // a refused or dropped socket: the game is checked as it is
    ws.on('close', () => (clearTimeout(timer), resolve()));
  });
}

const figure = (n: number) => n.toLocaleString('en-US');
const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);

/** The report as lines for a terminal. */
export function formatReport(r: FuzzReport): string[] {
  const t = r.tally;
  const closesByCode = new Counter();
  for (const [key, n] of t.closes.entries()) closesByCode.add(key.split(' ')[0], n);
  const line = (counter: Counter) =>
    counter
      .entries()
      .map(([k, n]) => `${k} ${figure(n)}`)
      .join(', ');
  const rateLimited = r.relayDropped;
  const lines = [
    `seed ${r.seed}: ${figure(r.frames)} frames in ${r.seconds.toFixed(1)} s (${figure(Math.round(r.framesPerSecond))}/s)${r.complete ? '' : ' — INCOMPLETE (time limit or crash)'}`,
    `  sent (warm-up included, ${figure(t.sent)}): ${line(t.sentBy)}`,
    `  answered ${figure(t.answered())} (${line(t.answers)})`,
    `  dropped by the relays' rate limits: ${figure(rateLimited)} (${((100 * rateLimited) / Math.max(1, t.sent)).toFixed(2)}% of frames), ${r.floodClosed} sockets closed for flooding; rate_limited errors by message: ${line(t.rateLimited)}`,
    `  sockets closed by the relay: ${line(closesByCode)}`,
    `  closes by last frame: ${line(t.closes)}`,
    `  upgrades: ${line(t.upgrades)}`,
    `  room events heard: ${line(t.events)}`,
    `(1) processes: ${r.crashed.length ? `CRASHED: ${r.crashed.join('; ')}` : 'none crashed'}; ${r.unhealthy.length ? `UNHEALTHY: ${r.unhealthy.join('; ')}` : 'all healthy'}`,
    `(2) site-in: ${figure(r.siteIn.messages)} messages, ${r.siteIn.invalid} not CoreIn (${line(r.siteIn.byType)})`,
    ...r.siteIn.samples.map((s) => `    ${s}`),
    `(3) memory (VmRSS after a GC, baseline after warm-up → end): ${r.memory
      .map(
        (m) =>
          `${m.name} ${Math.round(m.beforeKiB / 1024)} → ${Math.round(m.afterKiB / 1024)} MiB (${(100 * m.growth).toFixed(1)}%; ` +
          `JS heap ${mib(m.heapBefore)} → ${mib(m.heapAfter)} MiB, committed ${mib(m.committedBefore)} → ${mib(m.committedAfter)} MiB)`,
      )
      .join(', ')}`,
    `(4) games: ${r.games.checked} checked against a chessops replay, ${r.games.watched} watched by a spectator ` +
      `(${r.games.resumedBehind} of them finished, read again after leaving lila-core's memory, and ahead of their spectator ` +
      `by unpublished reserved versions); ${r.games.problems.length} problems`,
    ...r.games.problems.slice(0, 20).map((p) => `    ${p}`),
    `bots: ${r.bots.games} games, ${figure(r.bots.moves)} moves, acks p50 ${r.bots.ackP50} ms, p99 ${r.bots.ackP99} ms, max ${r.bots.ackMax} ms; ${r.bots.problems.length} problems`,
    ...r.bots.problems.slice(0, 20).map((p) => `    ${p}`),
    `findings: ${t.findingCount}`,
    ...t.findings.slice(0, 20).map((f) => `    ${f}`),
  ];
  if (r.errors.length)
    lines.push('errors the processes logged (the last 10 of each):', ...r.errors.map((e) => `    ${e}`));
  if (r.lastFrames.length) {
    lines.push('last frames sent before the crash (id = slot.connection.index; regenerate with --show <id>):');
    for (const sent of r.lastFrames) {
      const data =
        typeof sent.data === 'string'
          ? JSON.stringify(sent.data.slice(0, 300))
          : `base64:${Buffer.from(sent.data).toString('base64').slice(0, 300)}`;
      lines.push(
        `    ${sent.id} /${sent.endpoint} ${sent.frame.category}${sent.frame.binary ? ' (binary)' : ''}: ${data}`,
      );
    }
  }
  lines.push(r.ok ? `OK (seed ${r.seed})` : `FAILED (seed ${r.seed}: run again with --seed ${r.seed})`);
  return lines;
}
