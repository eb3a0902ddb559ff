import { Room } from '../protocol/channels.js';
import type { ClientOutOf } from '../protocol/client-out.js';
import type { Logger } from '../src/log.js';
import type { Publisher } from './publish.js';
import type { Clock } from './time.js';

/**
 * Site-wide figures: players online and games being played, sent every second when they changed
 * (`n`), on lila-core's clock. Published on `site` alone: every socket is in `site`, lobby sockets
 * included, and a second copy on `lobby` would reach them twice. Sent on change only, so a lobby
 * socket gets the current figures with its join's answer (lobby.ts).
 */
const EVERY_MS = 1_000;

export type SiteCounts = ClientOutOf<'n'>['d'];

export function startSiteCounts(o: {
  publish: Publisher;
  clock: Clock;
  users: () => number;
  games: () => number;
  log: Logger;
}): () => void {
  let last: SiteCounts | undefined;
  let stopped = false;
  let cancel = (): unknown => undefined;
  const tick = async () => {
    const d = { users: o.users(), games: o.games() };
    if (d.users !== last?.users || d.games !== last.games) {
      last = d;
      // Redis commands wait for a reconnection: this fails only once lila-core has let go of Redis.
      await o.publish
        .room(Room.site, { t: 'n', d })
        .catch((err: Error) => o.log.warn({ err: err.message }, 'site counts not sent'));
    }
    if (!stopped) cancel = o.clock.at(o.clock.now() + EVERY_MS, tick);
  };
  // The first figures at once, before lila-core takes any join: a lobby socket that joined in the
  // first second got them twice, with its join's answer and then on `site`.
  cancel = o.clock.at(o.clock.now(), tick);
  return () => {
    stopped = true;
    cancel();
  };
}
