import type { ErrorCode } from '../protocol/client-out.js';
import {
  acknowledge,
  emptyLedger,
  forgetPending,
  refuseOldest,
  stampMove,
  takeResends,
  type MoveData,
} from './acks.js';
import { createConnection, type ClientStatus } from './connection.js';
import { globalWebSocket, systemClock, type Clock, type SocketConstructor } from './deps.js';
import { createEmitter } from './events.js';
import { decodeIncoming, encodeOutgoing, socketUrl, type ClientIn } from './frames.js';
import { reportedLag } from './lag.js';
import { DEFAULT_TIMING, type Timing } from './timing.js';
import { namedTimers } from './timers.js';
import { connectVersion, gapExpired, initialVersions, receive, startResync, type Frame } from './versions.js';

/**
 * A socket to a relay that behaves as lichess's browser client. This is the thin driver: the
 * connection (connection.ts) keeps a socket alive; this adds what travels over it: frames sent
 * meanwhile are queued, moves are stamped and sent until acknowledged (acks.ts), and room events
 * reach the application once and in order (versions.ts), with a resync when some were missed.
 */
export type { ClientStatus };

export type ClientEvents = {
  /** Every frame for the application (pongs and `{"v":N}` placeholders are the client's own). */
  frame: Frame;
  status: ClientStatus;
  /** The lag estimate after each pong, in ms. */
  lag: number;
  /** A whole new state is on its way: the relay said `resync`, or a version gap did not fill. */
  resync: 'server' | 'gap';
  /** lila-core refused a pending move; it will not be sent again. */
  refused: { move: MoveData; code: ErrorCode };
  /** A frame that is not of the protocol (its version, if any, is still counted). */
  invalid: string;
};

/** What the application sends: any action (`move()` is the way to send a move: it stamps it). */
export type Sendable = Exclude<ClientIn, null | { t: 'p'; l?: number }>;

export type ClientOptions = {
  /** `ws://host/play/<gameId>`, `/watch/<id>`, `/lobby`, `/user/<id>` or `/site`, absolute. */
  url: string;
  /** Sent as `?token=`; browsers leave it out and sign in with the session cookie. */
  token?: string;
  /** The version the application already has (e.g. from the game's HTTP JSON): connect with `?v=`. */
  version?: number;
  /** Default: globalThis's. Node 20 has none: pass the `ws` package's. */
  WebSocket?: SocketConstructor;
  clock?: Clock;
  /** In [0, 1): the reconnect jitter. */
  random?: () => number;
  timing?: Partial<Timing>;
  /** The first ack id (1 by default). */
  firstAckId?: number;
};

/** Refusals that can only answer a move: the pending move they answer is dropped. */
const MOVE_REFUSALS = new Set<ErrorCode>(['illegal_move', 'not_your_turn', 'not_your_game', 'game_over']);
/** Frames sent while no socket is open wait here, the oldest dropped past this many. */
const MAX_QUEUED = 100;

export function createClient(o: ClientOptions) {
  const clock = o.clock ?? systemClock;
  const t: Timing = { ...DEFAULT_TIMING, ...o.timing };
  const timers = namedTimers<'resend' | 'gap' | 'snapshot' | 'restart'>(clock);
  const events = createEmitter<ClientEvents>();
  let versions = initialVersions(o.version ?? null);
  let ledger = emptyLedger(o.firstAckId);
  let queue: string[] = [];

  const connection = createConnection({
    url: () => socketUrl(o.url, { v: connectVersion(versions), token: o.token }),
    WebSocket: o.WebSocket ?? globalWebSocket(),
    clock,
    random: o.random ?? Math.random,
    timing: t,
    onOpen,
    onData,
    onStatus: (status) => {
      if (status !== 'open') ['resend', 'snapshot', 'restart'].forEach((n) => timers.cancel(n as 'resend'));
      events.emit('status', status);
    },
    onLag: (lag) => events.emit('lag', lag.meanMs),
  });

  function onOpen(): void {
    // Every unacknowledged move, whatever its age: the old socket may have taken it down with it.
    sendMoves(takeResends(ledger, clock.now(), { every: true }));
    const waiting = queue;
    queue = [];
    waiting.forEach((text) => connection.send(text));
    timers.set('resend', t.resendCheckMs, resendTick);
  }

  function resendTick(): void {
    sendMoves(takeResends(ledger, clock.now(), { afterMs: t.resendAfterMs }));
    timers.set('resend', t.resendCheckMs, resendTick);
  }

  function sendMoves(taken: { ledger: typeof ledger; resend: MoveData[] }): void {
    ledger = taken.ledger;
    taken.resend.forEach((move) => connection.send(encodeOutgoing({ t: 'move', d: move })));
  }

  function onData(data: unknown): void {
    const incoming = decodeIncoming(data);
    if (incoming.kind === 'pong') return;
    if (incoming.kind === 'invalid') {
      events.emit('invalid', incoming.text);
      if (incoming.v === undefined) return;
    }
    const step = receive(versions, incoming.kind === 'frame' ? incoming.frame : { v: incoming.v! }, clock.now());
    versions = step.state;
    step.deliver.forEach(onFrame);
    if (versions.gapSince === null) timers.cancel('gap');
    else if (!timers.has('gap')) timers.set('gap', t.gapWaitMs - (clock.now() - versions.gapSince), checkGap);
  }

  function onFrame(frame: Frame): void {
    if ('t' in frame)
      switch (frame.t) {
        case 'ack':
          ledger = acknowledge(ledger, frame.d).ledger;
          break;
        case 'error':
          if (MOVE_REFUSALS.has(frame.d.code)) refuse(frame.d.code);
          break;
        case 'end':
          ledger = forgetPending(ledger);
          break;
        case 'resync':
          events.emit('resync', 'server');
          // The relay sends the state right after; if it does not, a socket without `?v=` brings it.
          timers.set('snapshot', t.snapshotWaitMs, () => versions.awaitingSnapshot && connection.reconnectNow());
          break;
        case 'state':
        case 'seeks':
          timers.cancel('snapshot');
          break;
        case 'serverRestart':
          // The relay closes this socket shortly (1012); if it does not, the client does.
          timers.set('restart', t.restartGraceMs, connection.reconnectLater);
          break;
      }
    events.emit('frame', frame);
  }

  function refuse(code: ErrorCode): void {
    const refusal = refuseOldest(ledger);
    ledger = refusal.ledger;
    if (refusal.refused) events.emit('refused', { move: refusal.refused, code });
  }

  function checkGap(): void {
    if (!gapExpired(versions, clock.now(), t.gapWaitMs)) return;
    versions = startResync(versions);
    events.emit('resync', 'gap');
    connection.reconnectNow();
  }

  /** Plays a move (UCI), stamped with the next ack id, which it returns; sent until acknowledged. */
  function move(uci: string): number {
    connection.touch();
    const stamped = stampMove(ledger, uci, reportedLag(connection.lag()), clock.now());
    ledger = stamped.ledger;
    // Not open: it goes with every other unacknowledged move when a socket opens.
    connection.send(encodeOutgoing({ t: 'move', d: stamped.move }));
    return stamped.move.a;
  }

  return {
    get status(): ClientStatus {
      return connection.status();
    },
    /** The latest version of the room this client has delivered or counted. */
    get version(): number | null {
      return versions.v;
    },
    /** The lag estimate in ms, undefined before the first pong. */
    get lagMs(): number | undefined {
      return reportedLag(connection.lag()) === undefined ? undefined : connection.lag().meanMs;
    },
    /** Moves sent and not yet acknowledged, oldest first. */
    get pendingMoves(): readonly MoveData[] {
      return ledger.pending.map((p) => p.move);
    },
    on: events.on,
    move,
    /** Sends an action now, or as soon as a socket is open. */
    send(frame: Sendable): void {
      if (frame.t === 'move') return void move(frame.d.u);
      connection.touch();
      const text = encodeOutgoing(frame);
      if (!connection.send(text)) queue = [...queue, text].slice(-MAX_QUEUED);
    },
    /** The user did something (a page calls this on input): not idle; an asleep client reconnects. */
    activity: () => connection.touch(),
    /** Closes for good. */
    close(): void {
      timers.cancelAll();
      connection.close();
    },
  };
}

export type SocketClient = ReturnType<typeof createClient>;
