import { Room } from '../protocol/channels.js';
import type { Clock } from './time.js';
import type { Publisher } from './publish.js';

/**
 * Site-wide figures: players online and games being played, sent every second when they changed
 * (`{"t":"n"}`), on lila-core's clock. Published on `site` alone: every socket is in `site`, lobby
 * sockets included, and a second copy on `lobby` would reach them twice.
 */
const EVERY_MS = 1_000;

export function startSiteCounts(o: {
  publish: Publisher;
  clock: Clock;
  users: () => number;
  games: () => number;
}): () => void {
  let last = '';
  let stopped = false;
  let cancel = (): unknown => undefined;
  const tick = async () => {
    const d = { users: o.users(), games: o.games() };
    const text = JSON.stringify(d);
    if (text !== last) {
      last = text;
      const frame = { t: 'n', d } as const;
      await o.publish.room(Room.site, frame).catch(() => undefined);
    }
    if (!stopped) cancel = o.clock.at(o.clock.now() + EVERY_MS, tick);
  };
  cancel = o.clock.at(o.clock.now() + EVERY_MS, tick);
  return () => {
    stopped = true;
    cancel();
  };
}
