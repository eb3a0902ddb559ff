import type { Redis } from 'ioredis';
import { SITE_IN, type RoomName } from '../protocol/channels.js';
import type { ClientAction } from '../protocol/client-in.js';
import type { CoreIn, SocketEnvelope } from '../protocol/core-in.js';
import type { Logger } from '../src/log.js';
import { createOutbox } from './outbox.js';

/** A socket's message before the link adds relay, boot and seq. */
type Unnumbered = SocketEnvelope extends infer E
  ? E extends SocketEnvelope
    ? Omit<E, 'relay' | 'boot' | 'seq'>
    : never
  : never;

export type JoinAnswer = { status: 200 | 403 | 404 | 503; frame?: Buffer };

/** Moves waiting for lila-core to listen again, at most. Past that the oldest are refused. */
const MAX_HELD = 1000;
const PROBE_MS = 250;

/**
 * Everything the relay says to lila-core: numbered envelopes on `site-in`, kept for resends,
 * a heartbeat, and join requests that await their answer on the relay channel.
 *
 * A message counts as delivered only when Redis handed it to a subscriber (PUBLISH returns
 * how many). When nobody listens (lila-core restarting), moves are held in order and published
 * again once it is back, as lila-ws does with its "critical" messages; other actions are refused.
 */
export function createCoreLink(o: {
  relayId: string;
  boot: string;
  publisher: Redis;
  log: Logger;
  joinTimeoutMs: number;
}) {
  const outbox = createOutbox(10_000);
  const pendingJoins = new Map<string, (answer: JoinAnswer) => void>();
  const relay = { relay: o.relayId, boot: o.boot };
  /** Numbered entries (published once, heard by nobody) come first, then unnumbered ones. */
  const held: { message: Unnumbered; payload?: string; settle: (delivered: boolean) => void }[] = [];
  let probe: NodeJS.Timeout | undefined;
  let flushing = false;

  const number = (message: Unnumbered) => outbox.add((seq) => JSON.stringify({ ...relay, seq, ...message }));
  const heard = (payload: string) => o.publisher.publish(SITE_IN, payload).then((n) => n > 0);

  function hold(message: Unnumbered, payload?: string): Promise<boolean> {
    return new Promise((settle) => {
      const firstUnnumbered = held.findIndex((h) => h.payload === undefined);
      const at = payload === undefined || firstUnnumbered < 0 ? held.length : firstUnnumbered;
      held.splice(at, 0, { message, payload, settle });
      if (held.length > MAX_HELD)
        held
          .splice(
            held.findIndex((h) => h.payload === undefined),
            1,
          )[0]
          ?.settle(false);
      if (!probe) {
        o.log.warn('lila-core is not listening; holding moves');
        probe = setInterval(() => void flush(), PROBE_MS);
      }
    });
  }

  async function flush(): Promise<void> {
    if (flushing) return;
    flushing = true;
    try {
      while (held[0]) {
        const head = held[0];
        head.payload ??= number(head.message);
        if (!(await heard(head.payload).catch(() => false))) return;
        held.shift();
        head.settle(true);
      }
      clearInterval(probe);
      probe = undefined;
      o.log.info('lila-core is listening again; held moves delivered');
    } finally {
      flushing = false;
    }
  }

  /** Resolves to whether lila-core received the message. */
  async function deliver(message: Unnumbered, critical: boolean): Promise<boolean> {
    if (held.length) return critical ? hold(message) : false;
    const payload = number(message);
    if (await heard(payload)) return true;
    return critical ? hold(message, payload) : false;
  }

  return {
    action(sid: string, user: string | null, room: RoomName, action: ClientAction): Promise<boolean> {
      return deliver({ sid, user, room, ...action }, action.t === 'move');
    },

    join(sid: string, user: string | null, room: RoomName, role: 'play' | 'watch'): Promise<JoinAnswer> {
      return new Promise((resolve) => {
        const timer = setTimeout(() => settle({ status: 503 }), o.joinTimeoutMs);
        const settle = (answer: JoinAnswer) => {
          clearTimeout(timer);
          pendingJoins.delete(sid);
          resolve(answer);
        };
        pendingJoins.set(sid, settle);
        deliver({ sid, user, room, t: 'join', d: { role } }, false).then(
          (delivered) => delivered || settle({ status: 503 }),
          () => settle({ status: 503 }),
        );
      });
    },

    answerJoin(sid: string, answer: JoinAnswer): void {
      pendingJoins.get(sid)?.(answer);
    },

    resend(boot: string, from: number): void {
      if (boot !== o.boot) return;
      const { payloads, lost } = outbox.since(from);
      if (lost) o.log.error({ from, lost }, 'lila-core asked for messages no longer kept');
      else o.log.warn({ from, count: payloads.length }, 'resending to lila-core');
      for (const payload of payloads) void o.publisher.publish(SITE_IN, payload).catch(() => undefined);
    },

    tick(): void {
      if (o.publisher.status !== 'ready') return;
      const tick: CoreIn = { ...relay, t: 'tick', d: { last: outbox.last } };
      void o.publisher.publish(SITE_IN, JSON.stringify(tick)).catch(() => undefined);
    },

    get held(): number {
      return held.length;
    },

    close(): void {
      clearInterval(probe);
      for (const h of held.splice(0)) h.settle(false);
    },
  };
}
export type CoreLink = ReturnType<typeof createCoreLink>;
