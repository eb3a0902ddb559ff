/**
 * Who is online, across all relays, from what each relay reports: the users whose first socket
 * opened there, and those whose last socket has been gone a while (relays debounce and batch,
 * so a quick reconnect says nothing). A relay silent for RELAY_SILENCE_MS is presumed dead: what
 * it reported is forgotten. A relay lila-core has not heard from since it started is asked for
 * its whole list (`sync`).
 */
export const RELAY_SILENCE_MS = 10_000;

type RelayReport = { boot: string; users: Set<string>; seen: number; synced: boolean };

/** `forgotten`: a relay presumed dead, or replaced by its restart; what it held goes with it. */
export function createOnline(
  askSync: (relay: string) => void,
  wallNow: () => number = Date.now,
  forgotten: (relay: string, boot: string) => void = () => undefined,
) {
  const relays = new Map<string, RelayReport>();
  /** user → on how many relays. */
  const counts = new Map<string, number>();

  const add = (user: string) => counts.set(user, (counts.get(user) ?? 0) + 1);
  const remove = (user: string) => {
    const n = (counts.get(user) ?? 0) - 1;
    if (n > 0) counts.set(user, n);
    else counts.delete(user);
  };

  const forget = (relay: string) => {
    const report = relays.get(relay);
    if (!report) return;
    report.users.forEach(remove);
    relays.delete(relay);
    forgotten(relay, report.boot);
  };

  /** The relay's report, started afresh when the relay is new or restarted. */
  const reportOf = (relay: string, boot: string): RelayReport => {
    const known = relays.get(relay);
    if (known && known.boot === boot) return known;
    forget(relay);
    const report = { boot, users: new Set<string>(), seen: wallNow(), synced: false };
    relays.set(relay, report);
    return report;
  };

  return {
    /** A heartbeat: a relay not yet synced is asked for its list. */
    ticked(relay: string, boot: string): void {
      const report = reportOf(relay, boot);
      report.seen = wallNow();
      if (!report.synced) askSync(relay);
    },

    reported(relay: string, boot: string, d: { add: string[]; remove: string[]; all?: boolean }): void {
      const report = reportOf(relay, boot);
      report.seen = wallNow();
      if (d.all) {
        report.users.forEach(remove);
        report.users.clear();
        report.synced = true;
      }
      for (const user of d.add)
        if (!report.users.has(user)) {
          report.users.add(user);
          add(user);
        }
      for (const user of d.remove) if (report.users.delete(user)) remove(user);
    },

    /** Forgets relays silent for too long; returns whether anything changed. */
    sweep(): boolean {
      let changed = false;
      for (const [relay, report] of relays)
        if (wallNow() - report.seen >= RELAY_SILENCE_MS) {
          changed ||= report.users.size > 0;
          forget(relay);
        }
      return changed;
    },

    isOnline: (user: string): boolean => counts.has(user),
    get count(): number {
      return counts.size;
    },
  };
}
export type Online = ReturnType<typeof createOnline>;
