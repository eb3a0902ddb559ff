/**
 * Who is online on this relay, told to lila-core the lila-ws way: a user's first socket is
 * reported at once; a user whose last socket closed is reported in the next batch (every few
 * seconds), unless they came back meanwhile, so a quick reconnect says nothing at all.
 */
export type OnlineReport = { add: string[]; remove: string[]; all?: boolean };

export function createOnlineHere(report: (d: OnlineReport) => void) {
  const sockets = new Map<string, number>();
  const leaving = new Set<string>();

  return {
    opened(user: string): void {
      const n = sockets.get(user) ?? 0;
      sockets.set(user, n + 1);
      // Back before the batch went out: lila-core never heard of the leave.
      if (n === 0 && !leaving.delete(user)) report({ add: [user], remove: [] });
    },
    closed(user: string): void {
      const n = (sockets.get(user) ?? 1) - 1;
      if (n > 0) return void sockets.set(user, n);
      sockets.delete(user);
      leaving.add(user);
    },
    /** The batch of users gone since the last one. */
    flush(): void {
      if (!leaving.size) return;
      report({ add: [], remove: [...leaving] });
      leaving.clear();
    },
    /** Everyone online here, for a lila-core that does not know (it restarted). */
    all(): void {
      report({ add: [...sockets.keys()], remove: [], all: true });
    },
    /** The users with a socket here. */
    list: (): string[] => [...sockets.keys()],
    get size(): number {
      return sockets.size;
    },
  };
}
export type OnlineHere = ReturnType<typeof createOnlineHere>;
