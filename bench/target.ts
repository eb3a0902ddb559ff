/**
 * One system under test, as every scenario drives it: ours (relays + lila-core as `npm start`
 * runs them), Socket.IO 4 with its Redis adapter, or Centrifugo v6 with its Redis engine. Each
 * runs two socket servers behind one Redis, pinned to the server cores; the load generator runs
 * on the others.
 */
export type TargetName = 'ours' | 'socketio' | 'centrifugo';

export type StartOptions = {
  /** `taskset -c` list for every server process (socket servers, Redis, lila-core). */
  serverCpus: string;
  /** A folder for this run's data and logs, removed afterwards. */
  dir: string;
};

/** One subscriber socket. */
export type Subscription = {
  /**
   * Closes it, as a browser would (a clean close, or `abrupt` to drop the TCP connection). A
   * subscription made with `onClose` survives an abrupt close as it would a network loss: it
   * reconnects by itself with recovery (see `onClose`). A clean close ends any subscription.
   */
  close(abrupt?: boolean): void;
};

export type Target = {
  name: TargetName;
  /** Human-readable version string(s), for the report: "socket.io 4.8.1, @socket.io/redis-adapter 8.3.0". */
  version: string;
  start(o: StartOptions): Promise<void>;
  /**
   * `count` rooms ready to subscribe to, by name. Socket.IO and Centrifugo rooms exist by being
   * named; ours are game rooms, so games are created first (through lila-core's HTTP API).
   */
  rooms(count: number): Promise<string[]>;
  /**
   * Opens a socket on socket server `server` (0 or 1) subscribed to `room`; resolves once the
   * subscription is confirmed, so a publish after it reaches the socket. `onMessage` receives
   * each published payload as the string given to `publish`. `localAddress` is a 127.0.0.x source
   * address, to get past one address's port range at 100k sockets.
   */
  subscribe(o: {
    server: number;
    room: string;
    onMessage: (payload: string) => void;
    localAddress?: string;
    /**
     * Given, the subscription recovers by itself: when its connection is lost (an abrupt `close`,
     * its server stopping), `onClose` is called with the close code (1006 for a dropped TCP
     * connection), and it reconnects at once, to the other server when its own refuses or is gone,
     * with recovery (Socket.IO connection state recovery, Centrifugo history, ours `?v=`), so that
     * the payloads published meanwhile reach `onMessage` too. Without it, a lost connection stays lost.
     */
    onClose?: (code: number) => void;
  }): Promise<Subscription>;
  /**
   * Publishes `payload` to every socket in `room` on both servers, through the system's own
   * server-side path: Redis PUBLISH in our wire format, @socket.io/redis-emitter, Centrifugo's
   * server API. Never awaited by the fan-out scenario's schedule (no coordinated omission).
   */
  publish(room: string, payload: string): void;
  /** Process ids of the server side, for RSS and CPU (Redis included). */
  serverPids(): number[];
  /** Process ids of the two socket servers alone (index = `server`), for memory per socket. */
  socketServerPids?(): number[];
  /**
   * A deploy: SIGTERM to socket server `server` (0 or 1); resolves once it has exited. Its
   * recovering subscriptions move to the other server. Not started again.
   */
  terminate?(server: number): Promise<void>;
  stop(): Promise<void>;
  /**
   * Where clients connect (socket server addresses), for `attach` in another process: the idle
   * scenario spreads its sockets over several generator processes, each under its own
   * RLIMIT_NOFILE.
   */
  clientSpec?(): unknown;
  /** Makes this (unstarted) target's `subscribe` reach the servers another process started. */
  attach?(spec: unknown): void;
};
