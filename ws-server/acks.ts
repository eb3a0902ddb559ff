import type { Logger } from '../src/log.js';

/** A stamped move lila-core has not answered is sent again this often, this many times at most. */
const ANSWER_TIMEOUT_MS = 3000;
const MAX_SENDS = 5;
/** Answered moves remembered, to recognise a second answer. */
const ANSWERED_KEPT = 10_000;

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
  /** Stamped moves lila-core has not answered yet, by `sid a`. */
  const unanswered = new Map<string, { timer: NodeJS.Timeout; sending: boolean }>();
  /** The latest answered ones, to recognise a second answer (to a move sent again). */
  const answeredLately = new Set<string>();

  /** Sends a stamped move, and again after each silence, until answered or MAX_SENDS. */
  function sendUntilAnswered(key: string, message: M, sends = 1): Promise<boolean> {
    const entry = { sending: true, timer: setTimeout(() => retry(), ANSWER_TIMEOUT_MS) };
    const retry = () => {
      if (unanswered.get(key) !== entry) return;
      if (entry.sending) return void (entry.timer = setTimeout(retry, ANSWER_TIMEOUT_MS));
      if (sends >= MAX_SENDS) return void unanswered.delete(key);
      o.log.warn({ sid: message.sid, sends }, 'no answer from lila-core; sending the move again');
      // A failed send (Redis closing under it) leaves the move unanswered: the next silence tries again.
      sendUntilAnswered(key, message, sends + 1).catch((err: Error) =>
        o.log.warn({ sid: message.sid, sends, err: err.message }, 'could not send the move again'),
      );
    };
    clearTimeout(unanswered.get(key)?.timer);
    unanswered.set(key, entry);
    return o.send(message).finally(() => (entry.sending = false));
  }

  return {
    /** Sends the move `sid` stamped `a`; resolves to whether lila-core received its first send. */
    send(sid: string, a: number, message: M): Promise<boolean> {
      return sendUntilAnswered(`${sid} ${a}`, message);
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

    close(): void {
      for (const entry of unanswered.values()) clearTimeout(entry.timer);
    },
  };
}
