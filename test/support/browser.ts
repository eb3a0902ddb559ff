import WebSocket from 'ws';

/**
 * A game socket that behaves as the protocol asks of a browser: it keeps the last version it has,
 * and after any close it did not ask for (1012 from a draining relay, or a dropped connection) it
 * reconnects with `?v=` after a short random delay, to whichever relay the edge gives it. Moves are
 * stamped with `a` and sent again after a reconnect until acknowledged.
 *
 * It records what a test needs to prove that nothing was missed: every versioned frame in order,
 * any version that came twice or out of order, and how often it had to start over from a state.
 */
export type Browser = {
  /** The game's moves as this socket knows them (its state's, then each move event's). */
  moves: string[];
  /** The latest version it has. */
  v: number;
  /** Versions in the order received; a state after a resync starts them again. */
  versions: number[];
  /** Frames whose version was not the next one expected. */
  outOfOrder: { v: number; after: number }[];
  /** How many times it opened a socket, and how many times it was told to start over. */
  connections: number;
  resyncs: number;
  closes: number[];
  /** Frames other than versioned ones and pongs (errors, serverRestart, ...). */
  others: Record<string, unknown>[];
  /** Acknowledged move stamps, in order. */
  acked: number[];
  move(uci: string, a: number): void;
  send(frame: unknown): void;
  /** Resolves once `done` holds, checked after every frame; fails after `timeoutMs`. */
  until(done: (b: Browser) => boolean, what: string, timeoutMs?: number): Promise<void>;
  close(): void;
};

type Frame = { t?: string; v?: number; d?: any };

export function openBrowser(baseUrl: string, path: string, token?: string): Promise<Browser> {
  let ws: WebSocket | undefined;
  let stopped = false;
  let started = false;
  const unacked = new Map<number, string>();
  const waiters = new Set<() => void>();

  const b: Browser = {
    moves: [],
    v: -1,
    versions: [],
    outOfOrder: [],
    connections: 0,
    resyncs: 0,
    closes: [],
    others: [],
    acked: [],
    move(uci, a) {
      unacked.set(a, uci);
      // While it reconnects, the move waits: it is sent as soon as the new socket opens.
      b.send({ t: 'move', d: { u: uci, a } });
    },
    send(frame) {
      if (ws?.readyState === WebSocket.OPEN) ws.send(JSON.stringify(frame));
    },
    until(done, what, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!done(b)) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(
              `${path}: never ${what}; has v=${b.v} moves=${b.moves.join(' ')} others=${JSON.stringify(b.others)}`,
            ),
          );
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close() {
      stopped = true;
      ws?.close();
    },
  };

  const onFrame = (f: Frame) => {
    if (f.t === 'state') {
      b.v = f.v!;
      b.moves = [...(f.d.moves as string[])];
      b.versions.push(f.v!);
    } else if (f.t === 'resync') {
      b.resyncs++;
    } else if (typeof f.v === 'number') {
      if (f.v !== b.v + 1) b.outOfOrder.push({ v: f.v, after: b.v });
      if (f.v > b.v) {
        b.v = f.v;
        b.versions.push(f.v);
        if (f.t === 'move') b.moves.push(f.d.uci as string);
      }
    } else if (f.t === 'ack') {
      unacked.delete(f.d as number);
      b.acked.push(f.d as number);
    } else if (typeof f === 'object' && f.t !== 'crowd' && f.t !== 'n') b.others.push(f);
    for (const wake of [...waiters]) wake();
  };

  const connect = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const query = new URLSearchParams();
      if (token) query.set('token', token);
      if (b.v >= 0) query.set('v', String(b.v));
      const socket = new WebSocket(`${baseUrl}${path}?${query}`);
      ws = socket;
      socket.on('message', (data) => {
        const f = JSON.parse((data as Buffer).toString()) as Frame | 0;
        if (f !== 0) onFrame(f);
      });
      socket.once('open', () => {
        b.connections++;
        // A move sent before the close and never acknowledged: lila-core plays a repeat only once.
        for (const [a, uci] of unacked) socket.send(JSON.stringify({ t: 'move', d: { u: uci, a } }));
        resolve();
      });
      socket.once('error', (err) => !started && reject(err));
      socket.once('close', (code) => {
        b.closes.push(code);
        for (const wake of [...waiters]) wake();
        if (stopped || !started) return;
        // Spread out, as real clients are, and retried until some relay takes the socket.
        const retry = () => setTimeout(() => void connect().catch(retry), 100 + Math.random() * 400);
        retry();
      });
    });

  return connect().then(() => {
    started = true;
    return b;
  });
}
