import { Room } from '../protocol/channels.js';
import { CloseCode } from '../protocol/client-in.js';
import { encodeFrame } from '../protocol/client-out.js';
import type { Logger } from '../src/log.js';
import type { Socket } from './socket-data.js';

/** How often a draining relay closes its next slice of sockets. */
const SLICE_MS = 50;

/**
 * Closes `items` a slice at a time, evenly over `spreadMs`, so that the clients of a draining
 * relay come back to the others gradually rather than all in one instant. Resolves once all are
 * closed, or at `deadline` (ms since the epoch) with the rest left open.
 */
export function closeGradually<T>(items: readonly T[], close: (item: T) => void, spreadMs: number, deadline: number) {
  const started = Date.now();
  let closed = 0;
  return new Promise<void>((done) => {
    const step = () => {
      const share = spreadMs > 0 ? (Date.now() - started + SLICE_MS) / spreadMs : 1;
      const due = Math.min(items.length, Math.ceil(items.length * Math.min(1, share)));
      for (; closed < due; closed++) close(items[closed]);
      if (closed >= items.length || Date.now() >= deadline) return done();
      setTimeout(step, SLICE_MS);
    };
    step();
  });
}

/** What every socket of a draining relay is told first (encoded once). */
const SERVER_RESTART = encodeFrame({ t: 'serverRestart' });

/**
 * A deploy: every socket told (on `site`, which all of them hold), then closed with 1012 a slice
 * at a time over `spreadMs`, so that they come back to the other relays gradually rather than all
 * in the same instant; at `deadline`, whatever is left is closed at once.
 */
export async function closeSockets(o: {
  sockets: ReadonlyMap<string, Socket>;
  publish: (topic: string, frame: string) => void;
  spreadMs: number;
  deadline: number;
  log: Logger;
}): Promise<void> {
  const order = [...o.sockets.values()];
  o.log.info({ sockets: order.length, spreadMs: o.spreadMs }, 'draining');
  o.publish(Room.site, SERVER_RESTART);
  await closeGradually(
    order,
    (ws) => ws.getUserData().closed || ws.end(CloseCode.restart, 'relay restarting; reconnect'),
    o.spreadMs,
    o.deadline,
  );
  for (const ws of o.sockets.values()) ws.close();
}
