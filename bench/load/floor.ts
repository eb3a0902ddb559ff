import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { MongoClient } from 'mongodb';
import { freePort, startFerretdb, startRedis, type Service } from '../../scripts/stack/services.js';
import { Histogram, type LatencySummary } from './histogram.js';

/**
 * The least a move can cost, measured beside the moves scenario (issue #16 part 2): what a move
 * must go through whatever the server does, with nothing else: two Redis pub/sub hops (relay →
 * lila-core on `site-in`, lila-core → relay on the game's room) and one journal append between
 * them (an insert of a move-sized entry with lila-core's write concern, `w: majority, j: true`).
 * Its own redis-server and FerretDB, as the stack runs them, on the cores of the target's servers
 * (`pinnedLike`), one sample at a time: the latency of an idle path, from the generator's clock.
 */
export type Floor = LatencySummary & { hops: LatencySummary; append: LatencySummary };

/** The CPU list a running process is pinned to (`taskset -cp`), e.g. `0`. */
export function cpusOf(pid: number): string {
  const out = execFileSync('taskset', ['-cp', String(pid)], { encoding: 'utf8' });
  return out.trim().split(':').at(-1)!.trim();
}

export async function measureFloor(o: { samples: number; pinnedLike: number }): Promise<Floor> {
  const wrap = ['taskset', '-c', cpusOf(o.pinnedLike)];
  const dir = mkdtempSync(join(tmpdir(), 'bench-floor-'));
  const services: Service[] = [];
  const clients: Redis[] = [];
  let mongo: MongoClient | undefined;
  try {
    const [redisPort, mongoPort] = [await freePort(), await freePort()];
    services.push(await startRedis(redisPort, join(dir, 'redis'), undefined, wrap));
    services.push(await startFerretdb(mongoPort, join(dir, 'ferretdb'), undefined, wrap));
    const redis = () => {
      const client = new Redis(`redis://127.0.0.1:${redisPort}`);
      clients.push(client);
      return client;
    };
    const [publisher, coreSide, relaySide] = [redis(), redis(), redis()];
    mongo = await new MongoClient(`mongodb://127.0.0.1:${mongoPort}/floor`, {
      writeConcern: { w: 'majority', journal: true },
    }).connect();
    const journal = mongo.db().collection<{ _id: string }>('game_journal');
    await journal.createIndex({ g: 1, v: -1 });
    await coreSide.subscribe('site-in');
    await relaySide.subscribe('game:floor');

    const whole = new Histogram();
    const hops = new Histogram();
    const append = new Histogram();
    let sample: { seq: number; t0: number; appendMs: number; done: () => void; failed: (e: Error) => void } | undefined;
    // lila-core's side: each move is appended, then its event published to the room.
    coreSide.on('message', (_channel: string, seq: string) => {
      const t = performance.now();
      const entry = { _id: `floor:${seq}`, g: 'floor', v: Number(seq), doc: { set: { v: Number(seq) } } };
      journal
        .insertOne(entry)
        .then(() => {
          if (sample) sample.appendMs = performance.now() - t;
          return publisher.publish('game:floor', seq);
        })
        .catch((err: Error) => sample?.failed(err));
    });
    relaySide.on('message', (_channel: string, seq: string) => {
      if (!sample || Number(seq) !== sample.seq) return;
      const ms = performance.now() - sample.t0;
      whole.record(ms);
      append.record(sample.appendMs);
      hops.record(ms - sample.appendMs);
      sample.done();
    });
    for (let seq = 1; seq <= o.samples; seq++)
      await new Promise<void>((done, failed) => {
        sample = { seq, t0: performance.now(), appendMs: 0, done, failed };
        publisher.publish('site-in', String(seq)).catch(failed);
      });
    return { ...whole.summary(), hops: hops.summary(), append: append.summary() };
  } finally {
    clients.forEach((c) => c.disconnect());
    await mongo?.close();
    await Promise.all(services.map((s) => s.stop('SIGKILL')));
    rmSync(dir, { recursive: true, force: true });
  }
}
