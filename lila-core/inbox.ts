/**
 * Checks the numbering of each relay's messages on `site-in`. Redis drops a subscriber that
 * falls behind, and the messages in between vanish without an error; a gap in the numbers shows
 * it, and lila-core asks that relay to publish again from the first missing number (go-back-N:
 * later messages are ignored until the gap is filled, so actions keep their order).
 *
 * Numbering follows the relay's current boot: relay-liveness.ts says when it restarted.
 */
const RETRY_MS = 1000;

type Numbering = { last: number; askedAt: number };

export function createInbox(askResend: (relay: string, boot: string, from: number) => void, now: () => number) {
  const relays = new Map<string, Numbering>();

  /** A relay first heard by this process starts where it is: what came before was not for it. */
  const numberingOf = (relay: string, firstSeen: number): Numbering => {
    let numbering = relays.get(relay);
    if (!numbering) relays.set(relay, (numbering = { last: firstSeen, askedAt: 0 }));
    return numbering;
  };

  const gap = (relay: string, boot: string, numbering: Numbering) => {
    if (now() - numbering.askedAt < RETRY_MS) return;
    numbering.askedAt = now();
    askResend(relay, boot, numbering.last + 1);
  };

  return {
    /** Whether to handle this message now: the next in line, not a duplicate, not past a gap. */
    accept(relay: string, boot: string, seq: number): boolean {
      const numbering = numberingOf(relay, seq - 1);
      if (seq <= numbering.last) return false;
      if (seq > numbering.last + 1) {
        gap(relay, boot, numbering);
        return false;
      }
      numbering.last = seq;
      numbering.askedAt = 0;
      return true;
    },

    /** A heartbeat carrying the relay's latest number: a loss at the tail shows here. */
    tick(relay: string, boot: string, last: number): void {
      const numbering = numberingOf(relay, last);
      if (last > numbering.last) gap(relay, boot, numbering);
    },

    /** The relay restarted: it numbers from 1 again, and a resend asked of its old boot is moot. */
    restarted(relay: string): void {
      relays.set(relay, { last: 0, askedAt: 0 });
    },
  };
}
