import type { Redis } from 'ioredis';
import { SITE_IN, type RoomName } from '../protocol/channels.js';
import type { ClientAction } from '../protocol/client-in.js';
import type { CoreIn, SocketEnvelope } from '../protocol/core-in.js';
import type { Logger } from '../src/log.js';
import { createOutbox } from './outbox.js';

/** A socket's message before the link adds relay, boot and seq. */
type Unnumbered = SocketEnvelope extends infer E ? (E extends SocketEnvelope ? Omit<E, 'relay' | 'boot' | 'seq'> : never) : never;

export type JoinAnswer = { status: 200 | 403 | 404 | 503; frame?: Buffer };

/**
 * Everything the relay says to lila-core: numbered envelopes on `site-in`, kept for resends,
 * a heartbeat, and join requests that await their answer on the relay channel.
 */
export function createCoreLink(o: { relayId: string; boot: string; publisher: Redis; log: Logger; joinTimeoutMs: number }) {
  const outbox = createOutbox(10_000);
  const pendingJoins = new Map<string, (answer: JoinAnswer) => void>();
  const relay = { relay: o.relayId, boot: o.boot };

  const publish = (message: Unnumbered) =>
    o.publisher.publish(
      SITE_IN,
      outbox.add((seq) => JSON.stringify({ ...relay, seq, ...message })),
    );

  return {
    /** Resolves once Redis has taken the message. */
    action(sid: string, user: string | null, room: RoomName, action: ClientAction): Promise<unknown> {
      return publish({ sid, user, room, ...action });
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
        publish({ sid, user, room, t: 'join', d: { role } }).catch(() => settle({ status: 503 }));
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
  };
}
export type CoreLink = ReturnType<typeof createCoreLink>;
