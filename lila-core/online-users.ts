import type { RelayLiveness } from './relay-liveness.js';

/**
 * Who is online, across all relays, from what each relay reports: the users whose first socket
 * opened there, and those whose last socket has been gone a while (relays debounce and batch, so a
 * quick reconnect says nothing). What a relay reported goes when its boot ends (relay-liveness.ts).
 * A relay lila-core holds no list from, first heard since it started or back after its boot ended,
 * is asked for its whole list (`sync`).
 */
type RelayReport = { users: Set<string>; synced: boolean };

export function createOnlineUsers(liveness: RelayLiveness, askSync: (relay: string) => void) {
  const relays = new Map<string, RelayReport>();
  /** user → on how many relays. */
  const counts = new Map<string, number>();

  const add = (user: string) => counts.set(user, (counts.get(user) ?? 0) + 1);
  const remove = (user: string) => {
    const n = (counts.get(user) ?? 0) - 1;
    if (n > 0) counts.set(user, n);
    else counts.delete(user);
  };

  const reportOf = (relay: string): RelayReport => {
    let report = relays.get(relay);
    if (!report) relays.set(relay, (report = { users: new Set(), synced: false }));
    return report;
  };

  liveness.onEnded((relay) => {
    relays.get(relay)?.users.forEach(remove);
    relays.delete(relay);
  });

  return {
    /** A heartbeat: a relay not yet synced is asked for its list. */
    ticked(relay: string): void {
      if (!reportOf(relay).synced) askSync(relay);
    },

    reported(relay: string, d: { add: string[]; remove: string[]; all?: boolean }): void {
      const report = reportOf(relay);
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

    isOnline: (user: string): boolean => counts.has(user),
    get count(): number {
      return counts.size;
    },
  };
}
export type OnlineUsers = ReturnType<typeof createOnlineUsers>;
