import type { Redis } from 'ioredis';
import { SITE_IN, type RoomName } from '../protocol/channels.js';
import type { ClientAction } from '../protocol/client-in.js';
import type { CoreIn, SocketEnvelope } from '../protocol/core-in.js';
import type { Color } from '../protocol/game.js';
import type { Logger } from '../src/log.js';
import { createOutbox } from './outbox.js';

/** A socket's message before the link adds relay, boot and seq. */
type SocketMessage = SocketEnvelope extends infer E
  ? E extends SocketEnvelope
    ? Omit<E, 'relay' | 'boot' | 'seq'>
    : never
  : never;
/** The relay's own numbered messages: who is online here. */
type RelayMessage = Omit<Extract<CoreIn, { t: 'online' }>, 'relay' | 'boot' | 'seq'>;
type Unnumbered = SocketMessage | RelayMessage;

/** With 200: the `state` frame at version `v`, and the side the socket plays (none: a spectator). */
export type JoinAnswer = { status: 200 | 403 | 404 | 504; frame?: Buffer; color?: Color; v?: number };

/** Moves waiting for lila-core to listen again, at most. Past that the oldest are refused. */
const MAX_HELD = 1000;
const PROBE_MS = 250;
/** A stamped move lila-core has not answered is sent again this often, this many times at most. */
const ANSWER_TIMEOUT_MS = 3000;
const MAX_SENDS = 5;
const ANSWERED_KEPT = 10_000;

/**
 * Everything the relay says to lila-core: numbered envelopes on `site-in`, kept for resends,
 * a heartbeat, and join requests that await their answer on the relay channel.
 *
 * A message counts as delivered only when Redis handed it to a subscriber (PUBLISH returns
 * how many). When nobody listens (lila-core restarting), moves are held in order and published
 * again once it is back, as lila-ws does with its "critical" messages; other actions are refused.
 *
 * A move stamped with an ack id `a` is sent again until lila-core answers it (an ack once it is
 * saved, or an error): lila-core may die with the move in its socket buffer. lila-core plays a
 * move sent twice only once.
 */
export function createCoreLink(o: {
  relayId: string;
  boot: string;
  publisher: Redis;
  log: Logger;
  joinTimeoutMs: number;
  /** Whether both of the relay's Redis connections are up: without them nothing can be delivered. */
  connected: () => boolean;
}) {
  const outbox = createOutbox(10_000);
  const pendingJoins = new Map<string, (answer: JoinAnswer) => void>();
  const relay = { relay: o.relayId, boot: o.boot };
  /** Numbered entries (published once, heard by nobody) come first, then unnumbered ones. */
  const held: { message: Unnumbered; payload?: string; settle: (delivered: boolean) => void }[] = [];
  let probe: NodeJS.Timeout | undefined;
  let flushing = false;
  /** lila-core said it is going down: hold from now on, without trying, until it is back. */
  let away = false;
  /** Stamped moves lila-core has not answered yet, by `sid a`. */
  const unanswered = new Map<string, { timer: NodeJS.Timeout; sending: boolean }>();
  /** The latest answered ones, to recognise a second answer (to a move sent again). */
  const answeredLately = new Set<string>();

  const number = (message: Unnumbered) => outbox.add((seq) => JSON.stringify({ ...relay, seq, ...message }));
  // Not queued in ioredis's offline queue while Redis is down: held here, bounded, and in order.
  const heard = (payload: string): Promise<boolean> =>
    o.connected() ? o.publisher.publish(SITE_IN, payload).then((n) => n > 0) : Promise.resolve(false);

  const listening = (): Promise<boolean> =>
    o.connected()
      ? o.publisher
          .pubsub('NUMSUB', SITE_IN)
          .then((r) => Number((r as unknown[])[1]) > 0)
          .catch(() => false)
      : Promise.resolve(false);

  const startProbing = () => {
    if (probe) return;
    o.log.warn({ held: held.length }, 'lila-core is not listening; holding moves');
    probe = setInterval(() => void flush(), PROBE_MS);
  };

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
      startProbing();
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
      // Nothing held to try with: whether lila-core subscribes to `site-in` again says it is back.
      if (away && !(await listening())) return;
      clearInterval(probe);
      probe = undefined;
      away = false;
      o.log.info('lila-core is listening again; held moves delivered');
    } finally {
      flushing = false;
    }
  }

  /** Resolves to whether lila-core received the message. */
  async function deliver(message: Unnumbered, critical: boolean): Promise<boolean> {
    if (held.length || away || !o.connected()) return critical ? hold(message) : false;
    const payload = number(message);
    if (await heard(payload)) return true;
    return critical ? hold(message, payload) : false;
  }

  /** Sends a stamped move, and again after each silence, until answered or MAX_SENDS. */
  function sendUntilAnswered(key: string, message: SocketMessage, sends = 1): Promise<boolean> {
    const entry = { sending: true, timer: setTimeout(() => retry(), ANSWER_TIMEOUT_MS) };
    const retry = () => {
      if (unanswered.get(key) !== entry) return;
      if (entry.sending) return void (entry.timer = setTimeout(retry, ANSWER_TIMEOUT_MS));
      if (sends >= MAX_SENDS) return void unanswered.delete(key);
      o.log.warn({ sid: message.sid, sends }, 'no answer from lila-core; sending the move again');
      void sendUntilAnswered(key, message, sends + 1);
    };
    clearTimeout(unanswered.get(key)?.timer);
    unanswered.set(key, entry);
    return deliver(message, true).finally(() => (entry.sending = false));
  }

  return {
    action(sid: string, user: string | null, room: RoomName, action: ClientAction): Promise<boolean> {
      const message: SocketMessage = { sid, user, room, ...action };
      if (action.t === 'move' && action.d.a !== undefined) return sendUntilAnswered(`${sid} ${action.d.a}`, message);
      return deliver(message, action.t === 'move');
    },

    /**
     * lila-core answered the move `sid` stamped `a`, or the socket gave up on it. False when it was
     * answered already: a second answer, to a move sent again, that the socket must not see twice.
     */
    answered(sid: string, a: number): boolean {
      const key = `${sid} ${a}`;
      clearTimeout(unanswered.get(key)?.timer);
      if (unanswered.delete(key)) {
        answeredLately.add(key);
        if (answeredLately.size > ANSWERED_KEPT) answeredLately.delete(answeredLately.values().next().value!);
        return true;
      }
      return !answeredLately.has(key);
    },

    /** The socket closed: its moves are no longer waited for. */
    forget(sid: string): void {
      for (const [key, entry] of unanswered)
        if (key.startsWith(`${sid} `)) {
          clearTimeout(entry.timer);
          unanswered.delete(key);
        }
    },

    join(sid: string, user: string | null, room: RoomName, role: 'play' | 'watch' | 'lobby'): Promise<JoinAnswer> {
      return new Promise((resolve) => {
        const timer = setTimeout(() => settle({ status: 504 }), o.joinTimeoutMs);
        const settle = (answer: JoinAnswer) => {
          clearTimeout(timer);
          pendingJoins.delete(sid);
          resolve(answer);
        };
        pendingJoins.set(sid, settle);
        deliver({ sid, user, room, t: 'join', d: { role } }, false).then(
          (delivered) => delivered || settle({ status: 504 }),
          () => settle({ status: 504 }),
        );
      });
    },

    /**
     * The socket is gone from its game room (closed, or its upgrade failed after the join). Not held
     * while lila-core is away: a restarted lila-core knows of no socket anyway.
     */
    leave(sid: string, user: string | null, room: RoomName): void {
      deliver({ sid, user, room, t: 'leave' }, false).catch(() => undefined);
    },

    /** Who is online here; numbered, so that a loss is noticed and resent like any message. */
    online(d: RelayMessage['d']): void {
      deliver({ t: 'online', d }, false).catch(() => undefined);
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

    /** lila-core announced its shutdown: hold moves and refuse the rest, until it is back. */
    pause(): void {
      away = true;
      startProbing();
    },

    /** lila-core announced its start: deliver what is held now, rather than at the next probe. */
    resume(): void {
      away = false;
      void flush();
    },

    /** Tells lila-core the latest version held of each room: it replays what was missed. */
    askVersions(rooms: Record<string, number>): void {
      if (!Object.keys(rooms).length || !o.connected()) return;
      const ask: CoreIn = { ...relay, t: 'versions', d: { rooms } };
      void o.publisher.publish(SITE_IN, JSON.stringify(ask)).catch(() => undefined);
    },

    tick(): void {
      if (o.publisher.status !== 'ready') return;
      const tick: CoreIn = { ...relay, t: 'tick', d: { last: outbox.last } };
      void o.publisher.publish(SITE_IN, JSON.stringify(tick)).catch(() => undefined);
    },

    /** Resolves once nothing is held for lila-core any more, or at `deadline` (ms since the epoch). */
    async drained(deadline: number): Promise<void> {
      while (held.length && Date.now() < deadline) {
        await flush();
        if (held.length) await new Promise((r) => setTimeout(r, PROBE_MS));
      }
      if (held.length) o.log.error({ held: held.length }, 'stopping with moves lila-core never took');
    },

    get held(): number {
      return held.length;
    },

    close(): void {
      clearInterval(probe);
      for (const entry of unanswered.values()) clearTimeout(entry.timer);
      for (const h of held.splice(0)) h.settle(false);
    },
  };
}
export type CoreLink = ReturnType<typeof createCoreLink>;
