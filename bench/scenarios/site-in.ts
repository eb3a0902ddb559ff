import { Redis } from 'ioredis';
import { join } from 'node:path';
import { relayChannel, Room, SITE_IN } from '../../protocol/channels.js';
import { encodeCoreIn } from '../../protocol/core-in.js';
import { projectRoot, spawnService } from '../../scripts/stack/services.js';
import { byName, cpuMeter } from '../load/proc.js';
import { ArrivalClock, floodPublish } from '../load/resp-flood.js';
import type { Ours } from '../targets/ours.js';
import { waitFor, type Scenario } from './types.js';

/**
 * `site-in` ceiling: how many cheap actions a second lila-core takes off `site-in`, beside what one
 * ioredis subscriber alone takes, measured in the same run on the same core and Redis.
 *
 * The generator plays a relay (its own id and boot, messages numbered from 1, as a relay numbers
 * them) and floods `site-in` with N actions as fast as one socket to Redis takes them, at most
 * `WINDOW` ahead of the answers, so that lila-core's subscription always has a backlog to drain:
 * what it answers per second is its ceiling. Two kinds of action, both answered without the database:
 * - `clock` in a game room (a game in progress, in memory): answered to the socket, through the
 *   relay's channel, which the generator counts;
 * - `talk` on a tournament page nobody has open (an empty room): checked against the user's chat
 *   limits (users taken in turn, each under its burst) and published to the room, which the
 *   generator counts.
 * The raw ceiling: one Node process of ioredis (bench/load/raw-subscriber.ts) pinned to the server
 * core, counting the same clock envelopes from a channel of its own. Redis's output-buffer limit for
 * subscribers is lifted for the run (a backlog of 100k messages would pass its default 32 MB).
 */
export type SiteInPhase = {
  kind: 'raw' | 'clock' | 'talk';
  sent: number;
  received: number;
  /** Messages per second, from the first to the last received. */
  rate: number;
  /** How fast the generator wrote them (above `rate`: the receiver was the bottleneck). */
  publishRate: number;
  serverCpu: number;
  byProcess: Record<string, number>;
};

export type SiteInResult = {
  raw: SiteInPhase;
  clock: SiteInPhase;
  talk: SiteInPhase;
  /** lila-core's rate over the raw ceiling. */
  clockShare: number;
  talkShare: number;
};

const COUNT = {
  quick: { raw: 100_000, clock: 50_000, talk: 20_000 },
  full: { raw: 1_000_000, clock: 500_000, talk: 200_000 },
};
const RELAY = 'bench-site-in';
/** Distinct chatters: each says one line in turn, far under its burst of 5. */
const CHATTERS = 50_000;
/**
 * Actions ahead of lila-core's answers: a backlog that never runs dry, well under the 20,000 socket
 * messages per relay it takes at once before refusing more as overloaded (a refusal is no answer).
 */
const WINDOW = 5_000;
/** Answers stop: lila-core is done, or stuck. */
const QUIET_MS = 10_000;

export const siteIn: Scenario<SiteInResult> = {
  name: 'sitein',
  title: 'site-in ceiling',
  only: ['ours'],
  async run({ target, mode, progress }) {
    const ours = target as Ours;
    const counts = COUNT[mode];
    const [gameId] = await ours.rooms(1);
    const tournamentId = await ours.tournament();
    const admin = new Redis(ours.redisUrl);
    await admin.config('SET', 'client-output-buffer-limit', 'pubsub 0 0 0');

    const boot = `b${Date.now().toString(36)}`;
    let seq = 0;
    const envelope = (t: 'clock' | 'talk', i: number): string =>
      t === 'clock'
        ? encodeCoreIn({
            relay: RELAY,
            boot,
            seq: ++seq,
            sid: `s${i % 1000}`,
            user: null,
            room: Room.game(gameId),
            at: Date.now(),
            t: 'clock',
          })
        : encodeCoreIn({
            relay: RELAY,
            boot,
            seq: ++seq,
            sid: `s${i % 1000}`,
            user: `benchchatter${i % CHATTERS}`,
            room: Room.tournament(tournamentId),
            at: Date.now(),
            t: 'talk',
            d: `line ${i} of the bench`,
          });

    // The raw ceiling first, with the same envelopes (numbered apart: nobody checks them there).
    progress(`raw: ${counts.raw} messages to one ioredis subscriber`);
    const rawSub = await spawnService({
      name: 'raw-subscriber',
      command: process.execPath,
      args: [
        join(projectRoot, 'dist', 'bench', 'load', 'raw-subscriber.js'),
        ours.redisUrl,
        'bench:raw',
        String(counts.raw),
      ],
      ready: /^raw subscriber ready/,
      wrap: ours.serverWrap,
    });
    const rawMeter = cpuMeter(() => [...target.serverPids(), rawSub.process.pid!]);
    const rawSent = await floodPublish(ours.redisUrl, 'bench:raw', counts.raw, (i) => envelope('clock', i));
    await waitFor(() => rawSub.output.some((l) => l.startsWith('{"received"')), 60_000);
    const rawCpu = rawMeter();
    const line = rawSub.output.find((l) => l.startsWith('{"received"'));
    await rawSub.stop('SIGKILL');
    const rawOut = line ? (JSON.parse(line) as { received: number; rate: number }) : { received: 0, rate: 0 };
    seq = 0;
    const raw: SiteInPhase = {
      kind: 'raw',
      sent: counts.raw,
      received: rawOut.received,
      rate: rawOut.rate,
      publishRate: counts.raw / rawSent.seconds,
      serverCpu: rawCpu.servers,
      byProcess: byName(rawCpu.perProcess),
    };
    progress(`raw: ${Math.round(raw.rate)} messages/s`);

    const listener = new Redis(ours.redisUrl);
    const phase = async (kind: 'clock' | 'talk', count: number, channel: string): Promise<SiteInPhase> => {
      progress(`${kind}: ${count} actions on site-in`);
      const clock = new ArrivalClock();
      const onMessage = (c: Buffer) => c.toString() === channel && clock.hit();
      listener.on('messageBuffer', onMessage);
      await listener.subscribe(channel);
      const meter = cpuMeter(() => target.serverPids());
      const sent = await floodPublish(ours.redisUrl, SITE_IN, count, (i) => envelope(kind, i), {
        size: WINDOW,
        received: () => clock.count,
      });
      let seen = -1;
      while (clock.count < count && clock.count !== seen) {
        seen = clock.count;
        await waitFor(() => clock.count >= count, QUIET_MS);
      }
      const cpu = meter();
      listener.off('messageBuffer', onMessage);
      await listener.unsubscribe(channel);
      const result: SiteInPhase = {
        kind,
        sent: count,
        received: clock.count,
        rate: clock.rate,
        publishRate: count / sent.seconds,
        serverCpu: cpu.servers,
        byProcess: byName(cpu.perProcess),
      };
      progress(`${kind}: ${result.received} answered, ${Math.round(result.rate)}/s`);
      return result;
    };
    // A tick first: lila-core learns of this relay, as it would of a new one.
    await admin.publish(SITE_IN, encodeCoreIn({ relay: RELAY, boot, t: 'tick', d: { last: 0 } }));
    const clock = await phase('clock', counts.clock, relayChannel(RELAY));
    const talk = await phase('talk', counts.talk, Room.tournament(tournamentId));
    listener.disconnect();
    admin.disconnect();
    return { raw, clock, talk, clockShare: clock.rate / raw.rate, talkShare: talk.rate / raw.rate };
  },
};
