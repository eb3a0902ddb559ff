import { readdirSync, readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient, type Collection } from 'mongodb';
import { freePort, postgresUrl, startFerretdb, startPostgres, type Service } from '../scripts/stack/services.js';

/**
 * lila-core's hot write alone, against each database `npm start` can run: G games each append
 * their next state to a journal collection as soon as the previous one is saved, the appends of
 * all games grouped into one `insertMany` while the previous is under way (group commit, as
 * lila-core/game/journal.ts does), with lila-core's write concern (`w: majority, j: true`).
 * Prints entries saved per second, the batches, and the database's CPU: where a move's cost goes.
 *
 *   npm run -s build && taskset -c 1 node dist/bench/db-writes.js \
 *     [--backends sqlite,postgresql] [--entries whole,move] [--games 200] [--seconds 5] [--tmpfs]
 *
 * `whole`: each entry is the whole game document (what the journal held before issue #16);
 * `move`: the move, the clocks and the version only. Servers run under `taskset -c 0`.
 */
type Backend = 'sqlite' | 'postgresql';
type EntryKind = 'whole' | 'move' | 'batch';

const arg = (flag: string, fallback: string) => {
  const i = process.argv.indexOf(flag);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const backends = arg('--backends', 'sqlite,postgresql').split(',') as Backend[];
const kinds = arg('--entries', 'whole,move').split(',') as EntryKind[];
const GAMES = Number(arg('--games', '200'));
const SECONDS = Number(arg('--seconds', '5'));
const TMPFS = process.argv.includes('--tmpfs');
const WRAP = ['taskset', '-c', arg('--server-cpus', '0')];

const UCI = ['e2e4', 'e7e5', 'g1f3', 'b8c6', 'f1b5', 'a7a6', 'b5a4', 'g8f6', 'e1g1', 'f8e7'];
const player = (i: number) => ({ id: `player${i}`, name: `Player${i}`, rating: 1500 + i, provisional: false });

/** A game document as lila-core's repo.ts stores it, at `ply` plies. */
function wholeGame(g: string, v: number, ply: number) {
  const moves = Array.from({ length: ply }, (_, i) => UCI[i % UCI.length]);
  return {
    _id: g,
    players: { white: player(1), black: player(2) },
    clock: { limit: 300, increment: 3 },
    moves,
    status: 'started',
    winner: null,
    v,
    remaining: { white: 281_000, black: 277_000 },
    runningSince: new Date(),
    lagQuota: { white: 500, black: 500 },
    clockHistory: moves.map((_, i) => 300_000 - i * 700),
    lastMoveAt: new Date(),
    lastMoveFrom: { white: { a: ply, at: Date.now() } },
    offers: { draw: null, takeback: null, rematch: null },
    rated: true,
    userIds: ['player1', 'player2'],
    createdAt: new Date(),
    updatedAt: new Date(),
    w: 'abcdefghijkl',
  };
}

/** The move alone: what a state adds to the one before it. */
const moveOnly = (ply: number) => ({
  u: UCI[ply % UCI.length],
  c: { white: 281_000, black: 277_000 },
  r: null,
  t: new Date(),
  a: ply,
  w: 'abcdefghijkl',
});

/** utime + stime of these processes and all their children, in seconds. */
function cpuOf(pids: number[]): number {
  const ticks = 100;
  const stats = readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map((d) => {
      try {
        const f = readFileSync(`/proc/${d}/stat`, 'utf8').split(') ')[1].split(' ');
        return { pid: Number(d), ppid: Number(f[1]), cpu: Number(f[11]) + Number(f[12]) };
      } catch {
        return undefined;
      }
    })
    .filter((s) => s !== undefined);
  const mine = new Set(pids);
  for (let grew = true; grew;) {
    grew = false;
    for (const s of stats)
      if (!mine.has(s.pid) && mine.has(s.ppid)) {
        mine.add(s.pid);
        grew = true;
      }
  }
  return stats.filter((s) => mine.has(s.pid)).reduce((sum, s) => sum + s.cpu, 0) / ticks;
}

async function measure(collection: Collection, kind: EntryKind, pids: number[]) {
  type Pending = { doc: Record<string, unknown>; done: () => void };
  let queue: Pending[] = [];
  let writing = false;
  let batchNo = 0;
  const batches: { size: number; ms: number }[] = [];
  const write = async (): Promise<void> => {
    if (writing || !queue.length) return;
    writing = true;
    const batch = queue;
    queue = [];
    const t0 = performance.now();
    const docs = kind === 'batch' ? [{ _id: `b${++batchNo}`, e: batch.map((p) => p.doc) }] : batch.map((p) => p.doc);
    await collection.insertMany(docs, { ordered: false });
    batches.push({ size: batch.length, ms: performance.now() - t0 });
    writing = false;
    batch.forEach((p) => p.done());
    void write();
  };
  const append = (doc: Record<string, unknown>) =>
    new Promise<void>((done) => {
      queue.push({ doc, done });
      void write();
    });

  const cpu0 = cpuOf(pids);
  const t0 = performance.now();
  const until = t0 + SECONDS * 1000;
  let saved = 0;
  let bytes = 0;
  const game = async (i: number) => {
    const g = `${kind}${i.toString(36).padStart(6, '0')}`;
    for (let v = 1, ply = 20 + (i % 40); performance.now() < until; v++, ply++) {
      const state = kind === 'whole' ? wholeGame(g, v, ply) : moveOnly(ply);
      const doc = { _id: `${g}:${v}`, g, v, ...(kind === 'whole' ? { doc: state } : state) };
      if (saved === 0) bytes = JSON.stringify(doc).length;
      await append(doc);
      saved++;
    }
  };
  await Promise.all(Array.from({ length: GAMES }, (_, i) => game(i)));
  const seconds = (performance.now() - t0) / 1000;
  const cpu = cpuOf(pids) - cpu0;
  const mean = (f: (b: { size: number; ms: number }) => number) =>
    batches.reduce((s, b) => s + f(b), 0) / Math.max(1, batches.length);
  return {
    entryBytes: bytes,
    perSecond: Math.round(saved / seconds),
    batches: batches.length,
    batchSize: Number(mean((b) => b.size).toFixed(1)),
    batchMs: Number(mean((b) => b.ms).toFixed(2)),
    msPerEntry: Number(((batches.reduce((s, b) => s + b.ms, 0) / Math.max(1, saved)) * 1).toFixed(3)),
    dbCpuPerEntryMs: Number(((cpu * 1000) / Math.max(1, saved)).toFixed(3)),
    dbCores: Number((cpu / seconds).toFixed(2)),
  };
}

async function run(backend: Backend): Promise<void> {
  const dir = mkdtempSync(join(TMPFS ? '/dev/shm' : tmpdir(), 'db-writes-'));
  const services: Service[] = [];
  try {
    const mongoPort = await freePort();
    let pg: string | undefined;
    if (backend === 'postgresql') {
      const pgPort = await freePort();
      services.push(await startPostgres(pgPort, join(dir, 'postgres'), undefined, WRAP));
      pg = postgresUrl(pgPort);
    }
    services.push(await startFerretdb(mongoPort, join(dir, 'ferretdb'), undefined, WRAP, false, pg));
    const client = new MongoClient(`mongodb://127.0.0.1:${mongoPort}/bench`, {
      writeConcern: { w: 'majority', journal: true },
    });
    await client.connect();
    const pids = services.map((s) => s.process.pid!);
    for (const kind of kinds) {
      const collection = client.db().collection(`journal_${kind}`);
      if (!process.argv.includes('--no-index')) await collection.createIndex({ g: 1, v: -1 });
      const r = await measure(collection, kind, pids);
      console.log(
        JSON.stringify({
          backend,
          tmpfs: TMPFS,
          index: !process.argv.includes('--no-index'),
          entry: kind,
          games: GAMES,
          ...r,
        }),
      );
    }
    await client.close();
  } finally {
    await Promise.all(services.reverse().map((s) => s.stop('SIGTERM')));
    rmSync(dir, { recursive: true, force: true });
  }
}

for (const backend of backends) await run(backend);
