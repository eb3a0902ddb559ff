import type { Redis } from 'ioredis';
import { SITE_IN } from '../protocol/channels.js';
import { CoreIn, type SocketEnvelope } from '../protocol/core-in.js';
import type { Logger } from '../src/log.js';
import type { Tap } from '../src/tap.js';
import { within } from '../src/deadline.js';
import { createInbox } from './inbox.js';
import type { Publisher } from './publish.js';
import type { RelayLiveness } from './relay-liveness.js';

/**
 * Consumes `site-in`: every message validated once, its relay shown alive, numbered messages taken
 * in order per relay, then handed to `handle`.
 */
export async function consumeSiteIn(o: {
  subscriber: Redis;
  publish: Publisher;
  liveness: RelayLiveness;
  handle: (m: SocketEnvelope) => Promise<unknown>;
  /** A relay's heartbeat. */
  onTick?: (relay: string) => void;
  /** A relay's report of who is online there. */
  onOnline?: (m: Extract<CoreIn, { t: 'online' }>) => void;
  /** A relay asks for rooms' latest versions. */
  onVersions?: (m: Extract<CoreIn, { t: 'versions' }>) => Promise<unknown>;
  now: () => number;
  log: Logger;
  tap?: Tap;
}) {
  const inbox = createInbox((relay, boot, from) => {
    o.log.warn({ relay, from }, 'gap in site-in; asking the relay to resend');
    // Lost only once lila-core has let go of Redis; otherwise the gap stays and is asked about again.
    void o.publish.resend(relay, boot, from).catch(() => undefined);
  }, o.now);
  o.liveness.onRestarted((relay) => inbox.restarted(relay));

  /** Handlers still running: a stopping lila-core finishes them before it exits. */
  const inFlight = new Set<Promise<unknown>>();
  const track = (work: Promise<unknown>, m: { relay: string; sid?: string }) => {
    const settled = work.catch((err: Error) =>
      o.log.error({ relay: m.relay, sid: m.sid, err: err.message }, 'site-in handler failed'),
    );
    inFlight.add(settled);
    void settled.then(() => inFlight.delete(settled));
  };

  o.subscriber.on('message', (channel: string, message: string) => {
    if (channel !== SITE_IN) return;
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
    if (!inbox.accept(m.relay, m.boot, m.seq)) return;
    if (m.t === 'online') return o.onOnline?.(m);
    track(o.handle(m), m);
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
