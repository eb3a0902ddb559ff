import type { Logger } from '../src/log.js';

/** A stamped move lila-core has not answered is sent again this often, this many times at most. */
const ANSWER_TIMEOUT_MS = 3000;
const MAX_SENDS = 5;
/**
 * Answered moves remembered per open socket, to recognise a second answer (to a move sent again):
 * it follows the first within lila-core's delay, and a socket has at most
 * MAX_UNANSWERED_PER_SOCKET moves in flight.
 */
const ANSWERED_KEPT_PER_SOCKET = 32;
/**
 * Unanswered moves at most, per socket and in all: past them a new move is refused, not tracked.
 * A client waits for each ack before its next move (a premove or two, a few resent after a
 * reconnect), and lila-core answers in milliseconds; while it is away, held moves stop at 1,000.
 */
export const MAX_UNANSWERED_PER_SOCKET = 32;
export const MAX_UNANSWERED = 10_000;

type Entry = { timer: NodeJS.Timeout; sending: boolean; retry: () => void };

/**
 * Moves stamped with an ack id `a`, sent again until lila-core answers them (an ack once the move is
 * saved, or an error): lila-core may die with the move in its socket buffer. It plays a move sent
 * twice only once, but answers each send: the second answer is recognised here, for the socket not
 * to see it twice.
 */
export function createAcks<M extends { sid: string }>(o: {
  /** Sends the move once; resolves to whether lila-core received it. */
  send: (message: M) => Promise<boolean>;
  log: Logger;
}) {
  /** Stamped moves lila-core has not answered yet, by socket, then by ack id; and how many in all. */
  const unanswered = new Map<string, Map<number, Entry>>();
  let total = 0;
  /** Each open socket's latest answered ack ids, to recognise a second answer; gone with the socket. */
  const answeredLately = new Map<string, number[]>();

  const entryOf = (sid: string, a: number): Entry | undefined => unanswered.get(sid)?.get(a);
  /** Stops waiting for the move: true if it was waited for. */
  function drop(sid: string, a: number): boolean {
    const moves = unanswered.get(sid);
    const entry = moves?.get(a);
    if (!moves || !entry) return false;
    clearTimeout(entry.timer);
    moves.delete(a);
    total--;
    if (!moves.size) unanswered.delete(sid);
    return true;
  }

  /** Sends a stamped move, and again after each silence, until answered or MAX_SENDS. */
  function sendUntilAnswered(sid: string, a: number, message: M, sends = 1): Promise<boolean> {
    const retry = () => {
      if (entryOf(sid, a) !== entry) return;
      if (entry.sending) return void (entry.timer = setTimeout(retry, ANSWER_TIMEOUT_MS));
      if (sends >= MAX_SENDS) return void drop(sid, a);
      o.log.warn({ sid, sends }, 'no answer from lila-core; sending the move again');
      // A failed send (Redis closing under it) leaves the move unanswered: the next silence tries again.
      sendUntilAnswered(sid, a, message, sends + 1).catch((err: Error) =>
        o.log.warn({ sid, sends, err: err.message }, 'could not send the move again'),
      );
    };
    const entry: Entry = { sending: true, timer: setTimeout(retry, ANSWER_TIMEOUT_MS), retry };
    const moves = unanswered.get(sid) ?? new Map<number, Entry>();
    const previous = moves.get(a);
    if (previous) clearTimeout(previous.timer);
    else total++;
    unanswered.set(sid, moves.set(a, entry));
    return o.send(message).finally(() => (entry.sending = false));
  }

  return {
    /**
     * Whether the move `sid` stamped `a` would be one too many to wait for: `socket` past
     * MAX_UNANSWERED_PER_SOCKET of its own, `relay` past MAX_UNANSWERED in all. The same move
     * sent again takes no more room.
     */
    full(sid: string, a: number): 'socket' | 'relay' | undefined {
      const moves = unanswered.get(sid);
      if (moves?.has(a)) return undefined;
      if ((moves?.size ?? 0) >= MAX_UNANSWERED_PER_SOCKET) return 'socket';
      return total >= MAX_UNANSWERED ? 'relay' : undefined;
    },

    /** Sends the move `sid` stamped `a`; resolves to whether lila-core received its first send. */
    send(sid: string, a: number, message: M): Promise<boolean> {
      return sendUntilAnswered(sid, a, message);
    },

    /**
     * lila-core answered the move `sid` stamped `a`, or the socket gave up on it. False when it was
     * answered already: a second answer, to a move sent again, that the socket must not see twice.
     */
    answered(sid: string, a: number): boolean {
      if (drop(sid, a)) {
        const lately = answeredLately.get(sid) ?? [];
        if (!lately.length) answeredLately.set(sid, lately);
        if (lately.push(a) > ANSWERED_KEPT_PER_SOCKET) lately.shift();
        return true;
      }
      return !answeredLately.get(sid)?.includes(a);
    },

    /**
     * The socket's messages were lost on the way (site-in.ts `lost`): its unanswered moves go again
     * now rather than after their silence. Played once whatever happens (the ack-id rule).
     */
    hurry(sid: string): void {
      for (const entry of unanswered.get(sid)?.values() ?? []) {
        if (entry.sending) continue;
        clearTimeout(entry.timer);
        entry.retry();
      }
    },

    /** The socket closed: its moves are no longer waited for, nor their answers recognised. */
    forget(sid: string): void {
      for (const a of [...(unanswered.get(sid)?.keys() ?? [])]) drop(sid, a);
      answeredLately.delete(sid);
    },

    /** Moves waited for, in all. */
    get size(): number {
      return total;
    },

    close(): void {
      for (const moves of unanswered.values()) for (const entry of moves.values()) clearTimeout(entry.timer);
    },
  };
}
