/**
 * Checks the numbering of each relay's messages on `site-in`. Redis drops a subscriber that
 * falls behind, and the messages in between vanish without an error; a gap in the numbers shows
 * it, and lila-core asks that relay to publish again from the first missing number (go-back-N:
 * later messages are ignored until the gap is filled, so actions keep their order).
 *
 * Numbering follows the relay's current boot: relay-liveness.ts says when it restarted. When a
 * relay no longer keeps what was asked for, it says so (`lost`) and numbering goes on after it.
 */
const RETRY_MS = 1000;

type Numbering = { boot: string; last: number; askedAt: number };

export function createInbox(askResend: (relay: string, boot: string, from: number) => void, now: () => number) {
  const relays = new Map<string, Numbering>();

  /** A relay first heard by this process starts where it is: what came before was not for it. */
  const numberingOf = (relay: string, boot: string, firstSeen: number): Numbering => {
    let numbering = relays.get(relay);
    if (!numbering) relays.set(relay, (numbering = { boot, last: firstSeen, askedAt: 0 }));
    numbering.boot = boot;
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
      const numbering = numberingOf(relay, boot, seq - 1);
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
      const numbering = numberingOf(relay, boot, last);
      if (last > numbering.last) gap(relay, boot, numbering);
    },

    /**
     * The relay no longer keeps the messages lila-core asked for: those before `to` are gone for
     * good, and the next one to take is `to` (resent right after). Never goes back. A `lost` of a
     * boot before the relay's current one is moot (relay-liveness.ts drops it on `restarted`).
     */
    lost(relay: string, to: number): void {
      const numbering = relays.get(relay);
      if (!numbering || numbering.last >= to - 1) return;
      numbering.last = to - 1;
      numbering.askedAt = 0;
    },

    /** The relay restarted: it numbers from 1 again, and a resend asked of its old boot is moot. */
    restarted(relay: string, boot: string): void {
      relays.set(relay, { boot, last: 0, askedAt: 0 });
    },

    /**
     * lila-core's subscription was made again: whatever came meanwhile is lost, and a relay that
     * sent nothing since would show it only at its next tick. Every relay is asked at once for what
     * follows the last message taken (a relay with nothing more resends nothing).
     */
    resubscribed(): void {
      for (const [relay, numbering] of relays) {
        numbering.askedAt = now();
        askResend(relay, numbering.boot, numbering.last + 1);
      }
    },
  };
}
