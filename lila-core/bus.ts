import type { Redis } from 'ioredis';
import { SITE_IN } from '../protocol/channels.js';
import { errorFrame } from '../protocol/client-out.js';
import { CoreIn, type SocketEnvelope } from '../protocol/core-in.js';
import type { Logger } from '../src/log.js';
import type { Tap } from '../src/tap.js';
import { within } from '../src/deadline.js';
import { createInbox } from './inbox.js';
import type { Publisher } from './publish.js';
import { actionTime } from './receive-time.js';
import type { RelayLiveness } from './relay-liveness.js';

/**
 * Socket messages of one relay that lila-core handles at a time; past it, that relay's client
 * actions are refused `unavailable` at once (joins and leaves always go through: they follow
 * sockets, which nginx limits). One in flight for each socket a relay holds at its measured
 * capacity (19,400, README's benchmarks), each a few KB at most: a relay's users all acting
 * through a database stall fit, and no relay can make lila-core hold more.
 */
export const RELAY_QUEUE_LIMIT = 20_000;

/**
 * Consumes `site-in`: every message validated once, its relay shown alive, numbered messages taken
 * in order per relay, then handed to `handle` with the time it is taken to have happened
 * (receive-time.ts: the relay's stamp when `stamps` are trusted, else its receipt here).
 */
export async function consumeSiteIn(o: {
  subscriber: Redis;
  publish: Publisher;
  liveness: RelayLiveness;
  handle: (m: SocketEnvelope, at: number) => Promise<unknown>;
  /** `ignored` under the manual clock, whose time is not the relays' wall time. */
  stamps: 'trusted' | 'ignored';
  relayQueueLimit?: number;
  /** A relay's heartbeat. */
  onTick?: (relay: string) => void;
  /** A relay's report of who is online there. */
  onOnline?: (m: Extract<CoreIn, { t: 'online' }>) => void;
  /** A relay's report of every socket it admitted (after `sync`, or a loss), page by page. */
  onSockets?: (m: Extract<CoreIn, { t: 'sockets' }>) => Promise<unknown>;
  /** Users of a relay that may have missed frames of their channels. */
  onPending?: (m: Extract<CoreIn, { t: 'pending' }>) => Promise<unknown>;
  /** A relay asks for rooms' latest versions. */
  onVersions?: (m: Extract<CoreIn, { t: 'versions' }>) => Promise<unknown>;
  /** A relay asks for the whole list of revoked sessions. */
  onRevocationsAsk?: (relay: string) => void;
  now: () => number;
  log: Logger;
  tap?: Tap;
}) {
  const inbox = createInbox((relay, boot, from) => {
    o.log.warn({ relay, from }, 'gap in site-in; asking the relay to resend');
    // Lost only once lila-core has let go of Redis; otherwise the gap stays and is asked about again.
    void o.publish.resend(relay, boot, from).catch(() => undefined);
  }, o.now);
  o.liveness.onRestarted((relay, boot) => inbox.restarted(relay, boot));
  // Redis dropped lila-core's subscription (ioredis makes it again): ask every relay what followed.
  let cut = false;
  o.subscriber.on('close', () => (cut = true));
  o.subscriber.on('ready', () => {
    if (cut) setImmediate(() => inbox.resubscribed());
    cut = false;
  });

  /** Handlers still running: a stopping lila-core finishes them before it exits. */
  const inFlight = new Set<Promise<unknown>>();
  const track = (work: Promise<unknown>, m: { relay: string; sid?: string }) => {
    const settled = work.catch((err: Error) =>
      o.log.error({ relay: m.relay, sid: m.sid, err: err.message }, 'site-in handler failed'),
    );
    inFlight.add(settled);
    void settled.then(() => inFlight.delete(settled));
  };

  /** Socket messages in flight per relay: one entry per relay with any, none left behind. */
  const busy = new Map<string, number>();
  const relayLimit = o.relayQueueLimit ?? RELAY_QUEUE_LIMIT;
  const handle = (m: SocketEnvelope, receivedAt: number) => {
    const pending = busy.get(m.relay) ?? 0;
    if (pending >= relayLimit && m.t !== 'join' && m.t !== 'leave') {
      const refusal = errorFrame('unavailable', 'the game server is overloaded; try again');
      // A refusal lost with Redis leaves a move unanswered: its relay sends it again.
      return void o.publish.socket(m.relay, m.sid, refusal, m.t === 'move' ? m.d.a : undefined).catch(() => undefined);
    }
    busy.set(m.relay, pending + 1);
    const work = o.handle(m, actionTime(m.at, receivedAt, o.stamps === 'trusted')).finally(() => {
      const left = busy.get(m.relay)! - 1;
      if (left) busy.set(m.relay, left);
      else busy.delete(m.relay);
    });
    track(work, m);
  };

  o.subscriber.on('message', (channel: string, message: string) => {
    if (channel !== SITE_IN) return;
    const receivedAt = o.now();
    o.tap?.({ dir: 'site-in', raw: message });
    let json: unknown;
    try {
      json = JSON.parse(message);
    } catch {
      return o.log.warn({ message: message.slice(0, 200) }, 'site-in: not JSON');
    }
    const parsed = CoreIn.safeParse(json);
    if (!parsed.success) return o.log.warn({ err: parsed.error.issues[0]?.message }, 'site-in: refused message');
    const m = parsed.data;
    o.liveness.heard(m.relay, m.boot);
    if (m.t === 'tick') {
      o.onTick?.(m.relay);
      return inbox.tick(m.relay, m.boot, m.d.last);
    }
    if (m.t === 'versions') return o.onVersions && track(o.onVersions(m), m);
    if (m.t === 'revocations') return o.onRevocationsAsk?.(m.relay);
    if (m.t === 'lost') {
      o.log.error(
        { relay: m.relay, from: m.d.from, to: m.d.to },
        'site-in messages lost for good; going on after them',
      );
      return inbox.lost(m.relay, m.d.to);
    }
    if (!inbox.accept(m.relay, m.boot, m.seq)) return;
    if (m.t === 'online') return o.onOnline?.(m);
    if (m.t === 'sockets') return o.onSockets && track(o.onSockets(m), m);
    if (m.t === 'pending') return o.onPending && track(o.onPending(m), m);
    handle(m, receivedAt);
  });
  await o.subscriber.subscribe(SITE_IN);

  return {
    /**
     * Stops consuming: relays see nobody subscribed and hold their moves. Messages Redis handed
     * over before the unsubscribe still arrive first, on the same connection, and are handled;
     * resolves once every handler has finished.
     */
    async stop(): Promise<void> {
      await within(2_000, o.subscriber.unsubscribe(SITE_IN));
      while (inFlight.size) await Promise.all(inFlight);
    },
  };
}
