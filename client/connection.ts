import { OPEN, type Clock, type SocketConstructor, type SocketLike } from './deps.js';
import { encodeOutgoing, isPong } from './frames.js';
import { addLagSample, NO_LAG, reportedLag, type LagEstimate } from './lag.js';
import { activityAt, pingCarriesLag, pingDelay, reconnectDelay, type Timing } from './timing.js';
import { namedTimers } from './timers.js';

/**
 * The life of the connection, whatever it carries: one socket at a time, pinged with `null` as it
 * opens and again after each pong, its lag measured on the way; replaced after a jittered delay
 * when it closes or a pong is overdue; asleep after long inactivity until the user is back.
 */
export type ClientStatus = 'connecting' | 'open' | 'reconnecting' | 'asleep' | 'closed';

export type ConnectionOptions = {
  /** The URL for the next socket (it carries the latest `?v=`). */
  url: () => string;
  WebSocket: SocketConstructor;
  clock: Clock;
  random: () => number;
  timing: Timing;
  onOpen: () => void;
  /** Every message but pongs. */
  onData: (data: unknown) => void;
  onStatus: (status: ClientStatus) => void;
  onLag: (lag: LagEstimate) => void;
};

const CLOSE_NORMAL = 1000;
/** The session was revoked (signed out): reconnecting with it would be refused. */
const CLOSE_REVOKED = 4001;

export function createConnection(o: ConnectionOptions) {
  const { clock, timing: t } = o;
  const timers = namedTimers<'ping' | 'pong' | 'reconnect'>(clock);
  let ws: SocketLike | undefined;
  let opened = false;
  let status: ClientStatus = 'connecting';
  let lag = NO_LAG;
  let pings = 0;
  let lastPingAt = 0;
  let failedAttempts = 0;
  let lastActivityAt = clock.now();

  const setStatus = (next: ClientStatus) => {
    if (status === next) return;
    status = next;
    o.onStatus(next);
  };
  const activity = () => activityAt(lastActivityAt, clock.now(), t);
  const isOpen = () => ws !== undefined && opened && ws.readyState === OPEN;

  function connect(): void {
    timers.cancel('reconnect');
    setStatus('connecting');
    opened = false;
    const socket = new o.WebSocket(o.url());
    ws = socket;
    socket.onopen = () => ws === socket && onOpen();
    socket.onmessage = (e) => ws === socket && (isPong(e.data) ? onPong() : o.onData(e.data));
    socket.onclose = (e) => ws === socket && onLost(e.code);
    // An error is always followed by a close, which is where the client acts.
    socket.onerror = () => undefined;
  }

  function onOpen(): void {
    opened = true;
    failedAttempts = 0;
    setStatus('open');
    pingNow();
    o.onOpen();
  }

  /** Forgets the socket (anything it still says is ignored) and closes it. */
  function drop(): void {
    const socket = ws;
    ws = undefined;
    timers.cancel('ping');
    timers.cancel('pong');
    if (!socket) return;
    // No-ops rather than null: `ws` emits an error on closing a connecting socket, and throws without a listener.
    socket.onopen = socket.onmessage = socket.onclose = socket.onerror = () => undefined;
    socket.close(CLOSE_NORMAL);
  }

  function onLost(code: number): void {
    if (!opened) failedAttempts++;
    drop();
    if (code === CLOSE_REVOKED) return close();
    reconnectLater();
  }

  function reconnectLater(): void {
    drop();
    const now = activity();
    if (now === 'asleep') return setStatus('asleep');
    setStatus('reconnecting');
    timers.set('reconnect', reconnectDelay(failedAttempts, now, o.random(), t), connect);
  }

  function pingNow(): void {
    if (!isOpen()) return;
    if (activity() === 'asleep') {
      drop();
      return setStatus('asleep');
    }
    const l = reportedLag(lag);
    ws!.send(encodeOutgoing(l !== undefined && pingCarriesLag(pings, t) ? { t: 'p', l } : null));
    pings++;
    lastPingAt = clock.now();
    timers.set('pong', t.pongTimeoutMs, reconnectLater);
  }

  function onPong(): void {
    timers.cancel('pong');
    lag = addLagSample(lag, clock.now() - lastPingAt);
    o.onLag(lag);
    timers.set('ping', pingDelay(activity(), t), pingNow);
  }

  function close(): void {
    timers.cancelAll();
    drop();
    setStatus('closed');
  }

  connect();

  return {
    status: () => status,
    lag: () => lag,
    isOpen,
    /** Sends now if a socket is open; false otherwise (the caller keeps it for `onOpen`). */
    send(text: string): boolean {
      if (!isOpen()) return false;
      ws!.send(text);
      return true;
    },
    /** A new socket at once (the URL may have changed: a resync drops `?v=`). */
    reconnectNow(): void {
      drop();
      connect();
    },
    /** A new socket after the usual jittered delay (the relay announced its restart and kept this one). */
    reconnectLater,
    /** The user did something: not idle any more; an asleep client connects again. */
    touch(): void {
      lastActivityAt = clock.now();
      if (status === 'asleep') connect();
    },
    close,
  };
}
