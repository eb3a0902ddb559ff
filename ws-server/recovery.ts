import { errorFrame } from '../protocol/client-out.js';
import type { Logger } from '../src/log.js';
import type { CoreLink, ReportedSocket } from './core-link.js';
import type { FanOut } from './fan-out.js';
import type { OnlineHere } from './online-here.js';
import type { Loss } from './site-in.js';
import { joinsThroughCore, type Socket } from './socket-data.js';

const LOST = errorFrame('unavailable', 'your latest actions were lost on the way to the game server; send them again');

/**
 * What the relay says again when lila-core lost track of it: who is online here and every socket
 * it admitted (after lila-core restarted and asks, `sync`; after messages were lost for good; after
 * Redis dropped the relay), and the frames its users may have missed on their channels.
 */
export function createRecovery(o: {
  core: CoreLink;
  sockets: ReadonlyMap<string, Socket>;
  users: OnlineHere;
  send: FanOut['send'];
  log: Logger;
}) {
  const { core } = o;

  /** Every socket lila-core admitted, open or awaiting its join's answer. */
  const admitted = (): ReportedSocket[] => {
    const found = core.joining();
    for (const ws of o.sockets.values()) {
      const { sid, user, route, closed } = ws.getUserData();
      if (!closed && joinsThroughCore(route.endpoint))
        found.push({ sid, user, room: route.room, role: route.endpoint });
    }
    return found;
  };

  /** Who is online here and every admitted socket, for a lila-core that does not know them. */
  const reportAll = (): void => {
    o.users.all();
    core.sockets(admitted());
  };

  return {
    reportAll,

    /**
     * Messages lila-core will never get (site-in.ts `lost`): the sockets that sent them hear
     * `unavailable` (their stamped moves go again by themselves), and lila-core hears the whole
     * state again, since joins, leaves and online reports may be among them.
     */
    lost(loss: Loss): void {
      o.log.warn({ from: loss.from, to: loss.to, sockets: loss.sids.length }, 'messages lost; telling their sockets');
      for (const sid of loss.sids) {
        const ws = o.sockets.get(sid);
        if (ws && !ws.getUserData().closed) o.send(ws, LOST);
      }
      reportAll();
    },

    /**
     * The relay's subscription was made again: lila-core's frames to its users meanwhile (a
     * challenge, a redirect) and its leaves and reports, unsent while Redis was away, may be lost.
     */
    resubscribed(): void {
      core.whenConnected(() => {
        reportAll();
        core.pending(o.users.list());
      });
    },

    /** A signed-in socket opened: lila-core sends it what its user has pending. */
    opened(sid: string, user: string, room: ReportedSocket['room']): void {
      core.pending([user], { sid, room });
    },
  };
}
export type Recovery = ReturnType<typeof createRecovery>;
