/**
 * The relay's numbered messages to lila-core, the last `capacity` of them kept so that they can
 * be published again when lila-core reports a gap (Redis drops a subscriber that falls behind).
 *
 * Of a message that leaves the log, its socket is remembered while it is open (the latest such
 * number per socket, for as many sockets as `capacity`): if lila-core later asks for it, the relay
 * can tell exactly which sockets lost something, without keeping the messages themselves. A
 * socket that closed has nobody left to tell: forgotten (`forget`, and `open` at eviction).
 */
export type Numbered = { seq: number; payload: string };

export function createOutbox(capacity: number, open: (sid: string) => boolean = () => true) {
  const kept = new Map<number, { payload: string; sid?: string }>();
  /** sid → the latest of its numbers gone from the log; in the order of those numbers. */
  const evicted = new Map<string, number>();
  let last = 0;

  const evict = (seq: number) => {
    const sid = kept.get(seq)?.sid;
    kept.delete(seq);
    if (sid === undefined || !open(sid)) return;
    evicted.delete(sid);
    evicted.set(sid, seq);
    if (evicted.size > capacity) evicted.delete(evicted.keys().next().value!);
  };

  return {
    /** Numbers the next message, of socket `sid` if any; `build` receives its sequence number. */
    add(build: (seq: number) => string, sid?: string): Numbered {
      const seq = ++last;
      const payload = build(seq);
      // Stryker disable next-line ConditionalExpression: { payload, sid: undefined } reads the same as { payload }
      kept.set(seq, sid === undefined ? { payload } : { payload, sid });
      evict(seq - capacity);
      return { seq, payload };
    },
    /** The kept messages numbered `from` onwards, and how many older ones are gone. */
    since(from: number): { payloads: string[]; lost: number } {
      const payloads: string[] = [];
      let lost = 0;
      for (let seq = from; seq <= last; seq++) {
        const entry = kept.get(seq);
        if (entry === undefined) lost++;
        else payloads.push(entry.payload);
      }
      return { payloads, lost };
    },
    /** Sockets with a message numbered `from` or later that is no longer kept. */
    lostBy(from: number): string[] {
      const sids: string[] = [];
      for (const [sid, seq] of evicted) if (seq >= from) sids.push(sid);
      return sids;
    },
    /** Socket `sid` closed: no longer among those that lost something. */
    forget(sid: string): void {
      evicted.delete(sid);
    },
    get last(): number {
      return last;
    },
  };
}
