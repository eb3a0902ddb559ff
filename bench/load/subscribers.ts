import type { Subscription, Target } from '../target.js';
import { inBatches } from './http.js';

/** A socket to open: its room, and which of the two servers. */
export type Seat = { room: string; server: number };

export type Opened = {
  /** By seat index; undefined where the subscription failed twice. */
  subs: (Subscription | undefined)[];
  failed: number;
  /** The first failure's message, for the results. */
  firstError?: string;
  seconds: number;
};

/**
 * Opens a subscription per seat, `width` at once, source addresses taken in turn. A failure is
 * tried once more, then counted: a run reports how many sockets it could not open rather than dying.
 */
export async function openSeats(
  target: Target,
  seats: Seat[],
  o: {
    width: number;
    addresses: string[];
    onMessage: (seat: number, payload: string) => void;
    onClose?: (seat: number, code: number) => void;
    /** Called after each socket opened, with how many are open. */
    onOpened?: (open: number) => void;
  },
): Promise<Opened> {
  const t0 = performance.now();
  let failed = 0;
  let open = 0;
  let firstError: string | undefined;
  const subs = await inBatches(seats.length, o.width, async (i) => {
    const seat = seats[i];
    const attempt = () =>
      target.subscribe({
        server: seat.server,
        room: seat.room,
        onMessage: (payload) => o.onMessage(i, payload),
        localAddress: o.addresses.length > 1 ? o.addresses[i % o.addresses.length] : undefined,
        onClose: o.onClose && ((code) => o.onClose!(i, code)),
      });
    try {
      const sub = await attempt().catch(attempt);
      o.onOpened?.(++open);
      return sub;
    } catch (err) {
      failed++;
      firstError ??= (err as Error).message;
      return undefined;
    }
  });
  return { subs, failed, firstError, seconds: (performance.now() - t0) / 1000 };
}

/** Closes every subscription cleanly (ending recovery), then gives the servers a moment. */
export async function closeAll(subs: (Subscription | undefined)[]): Promise<void> {
  for (const sub of subs) sub?.close();
  await new Promise((r) => setTimeout(r, 500));
}

/** Seats for rooms of `size` sockets each, alternating servers within a room. */
export const seatsFor = (rooms: string[], size: (room: number) => number): Seat[] =>
  rooms.flatMap((room, r) => Array.from({ length: size(r) }, (_, j) => ({ room, server: (r + j) % 2 })));
