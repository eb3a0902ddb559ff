/**
 * The relay's numbered messages to lila-core, the last `capacity` of them kept so that they can
 * be published again when lila-core reports a gap (Redis drops a subscriber that falls behind).
 */
export function createOutbox(capacity: number) {
  const kept = new Map<number, string>();
  let last = 0;

  return {
    /** Numbers the next message; `build` receives its sequence number. */
    add(build: (seq: number) => string): string {
      const seq = ++last;
      const payload = build(seq);
      kept.set(seq, payload);
      kept.delete(seq - capacity);
      return payload;
    },
    /** The kept messages numbered `from` onwards, and how many older ones are gone. */
    since(from: number): { payloads: string[]; lost: number } {
      const payloads: string[] = [];
      let lost = 0;
      for (let seq = from; seq <= last; seq++) {
        const payload = kept.get(seq);
        if (payload === undefined) lost++;
        else payloads.push(payload);
      }
      return { payloads, lost };
    },
    get last(): number {
      return last;
    },
  };
}
