import { Histogram, type LatencySummary } from '../load/histogram.js';
import { makePayload, readPayload } from '../load/payload.js';
import { openLoop } from '../load/schedule.js';
import { closeAll, openSeats, seatsFor } from '../load/subscribers.js';
import { sleep, type Scenario } from './types.js';

/**
 * Drop and deploy: every room gets an event every 250 ms while, every few seconds, one socket in
 * ten is dropped (its TCP connection cut) and comes back by itself with recovery; then one of the
 * two socket servers gets SIGTERM, as a deploy would, and its sockets move to the other one.
 *
 * Each room loses one socket per round, so every room keeps sockets on both servers (our relays
 * serve `?v=` from the history of rooms they hold; a relay newly holding a room has none).
 */
export type ChurnResult = {
  shape: { rooms: number; perRoom: number; sockets: number; eventsPerRoomPerSecond: number };
  failed: number;
  firstError?: string;
  /** Unique events received over events published while each socket was subscribed. */
  delivered: number;
  expected: number;
  deliveredShare: number;
  duplicates: number;
  /** Of the events published during the drops and after the deploy, the share delivered. */
  deliveredShareDrops: number;
  deliveredShareDeploy: number;
  drops: number;
  /** Latency of events delivered live, and of events published while their socket was away. */
  live: LatencySummary;
  replay: LatencySummary;
  /** From a socket's loss to its first event after it: how long it was away. */
  away: LatencySummary;
  deploy: {
    /** Sockets the SIGTERMed server closed, and how many were not back by the end. */
    affected: number;
    notBack: number;
    /** From SIGTERM until every affected socket had an event again (ms); undefined if not all did. */
    allBackMs?: number;
    terminateMs: number;
  };
};

const SHAPE = {
  quick: { rooms: 30, perRoom: 10, everyMs: 250, rounds: 4, roundMs: 2000, afterDeployMs: 9000, drainMs: 1500 },
  full: { rooms: 200, perRoom: 10, everyMs: 250, rounds: 10, roundMs: 3000, afterDeployMs: 30_000, drainMs: 3000 },
};

export const churn: Scenario<ChurnResult> = {
  name: 'churn',
  title: 'Drop and deploy',
  recovery: true,
  unsupported: (t) => (t.terminate ? undefined : 'the target cannot terminate one server (no deploy)'),
  async run({ target, mode, progress, addresses }) {
    const shape = SHAPE[mode];
    progress(`creating ${shape.rooms} rooms`);
    const rooms = await target.rooms(shape.rooms);
    const seats = seatsFor(rooms, () => shape.perRoom);
    const maxEvents = Math.ceil(((shape.rounds * shape.roundMs + shape.afterDeployMs) / shape.everyMs) * 1.1) + 10;
    const got = seats.map(() => new Uint8Array(maxEvents));
    const downSince = new Float64Array(seats.length).fill(NaN);
    const backAt = new Float64Array(seats.length);
    const live = new Histogram();
    const replay = new Histogram();
    const away = new Histogram();
    let duplicates = 0;
    let deployAt = Infinity;
    const affected = new Set<number>();
    const lastBack = new Map<number, number>();

    progress(`opening ${seats.length} sockets`);
    const opened = await openSeats(target, seats, {
      width: 100,
      addresses,
      onMessage: (seat, payload) => {
        const now = performance.now();
        const stamp = readPayload(payload);
        if (!stamp || stamp.seq >= maxEvents) return;
        if (!Number.isNaN(downSince[seat])) {
          away.record(now - downSince[seat]);
          backAt[seat] = now;
          downSince[seat] = NaN;
          if (affected.has(seat)) lastBack.set(seat, now);
        }
        const seen = got[seat];
        if (seen[stamp.seq]) return void duplicates++;
        seen[stamp.seq] = 1;
        (stamp.at < backAt[seat] ? replay : live).record(now - stamp.at);
      },
      onClose: (seat) => {
        if (Number.isNaN(downSince[seat])) downSince[seat] = performance.now();
        if (performance.now() >= deployAt) affected.add(seat);
      },
    });
    const up = (seat: number) => opened.subs[seat] !== undefined && Number.isNaN(downSince[seat]);

    const totalMs = shape.rounds * shape.roundMs + shape.afterDeployMs;
    const rate = (rooms.length * 1000) / shape.everyMs;
    let published = 0;
    const schedule = openLoop(rate, totalMs, (i, at) => {
      const r = i % rooms.length;
      target.publish(rooms[r], makePayload(r, Math.floor(i / rooms.length), at));
      published = i + 1;
    });
    let drops = 0;
    for (let round = 1; round <= shape.rounds; round++) {
      await sleep(shape.roundMs);
      progress(`drop ${round}/${shape.rounds}: one socket in ten`);
      for (let r = 0; r < rooms.length; r++) {
        const candidates = Array.from({ length: shape.perRoom }, (_, j) => r * shape.perRoom + j).filter(up);
        const seat = candidates[Math.floor(Math.random() * candidates.length)];
        if (seat === undefined) continue;
        opened.subs[seat]!.close(true);
        drops++;
      }
    }
    const eventsBeforeDeploy = published;
    progress('deploy: SIGTERM to server 0');
    deployAt = performance.now();
    const terminated = target.terminate!(0).then(() => performance.now() - deployAt);
    await schedule;
    const terminateMs = await terminated;
    await sleep(shape.drainMs);

    // What each socket should have had: every event of its room (all were subscribed before the first).
    let expected = 0;
    let delivered = 0;
    let expectedDeploy = 0;
    let deliveredDeploy = 0;
    const perRoom = Math.ceil(published / rooms.length);
    const splitAt = Math.floor(eventsBeforeDeploy / rooms.length);
    seats.forEach((seat, i) => {
      if (!opened.subs[i]) return;
      const r = rooms.indexOf(seat.room);
      const events = Math.floor(published / rooms.length) + (r < published % rooms.length ? 1 : 0);
      expected += events;
      expectedDeploy += Math.max(0, events - splitAt);
      for (let n = 0; n < Math.min(events, perRoom); n++)
        if (got[i][n]) {
          delivered++;
          if (n >= splitAt) deliveredDeploy++;
        }
    });
    const backTimes = [...affected].map((s) => lastBack.get(s));
    const notBack = backTimes.filter((t) => t === undefined).length;
    await closeAll(opened.subs);
    return {
      shape: {
        rooms: rooms.length,
        perRoom: shape.perRoom,
        sockets: seats.length,
        eventsPerRoomPerSecond: 1000 / shape.everyMs,
      },
      failed: opened.failed,
      firstError: opened.firstError,
      delivered,
      expected,
      deliveredShare: delivered / Math.max(1, expected),
      duplicates,
      deliveredShareDrops: (delivered - deliveredDeploy) / Math.max(1, expected - expectedDeploy),
      deliveredShareDeploy: deliveredDeploy / Math.max(1, expectedDeploy),
      drops,
      live: live.summary(),
      replay: replay.summary(),
      away: away.summary(),
      deploy: {
        affected: affected.size,
        notBack,
        allBackMs: notBack || !affected.size ? undefined : Math.max(...(backTimes as number[])) - deployAt,
        terminateMs,
      },
    };
  },
};
