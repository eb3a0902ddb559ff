import { gameIdOf, parseRoom, Room } from '../protocol/channels.js';
import type { CoreIn } from '../protocol/core-in.js';
import type { Publisher } from './publish.js';

type VersionsAsk = Extract<CoreIn, { t: 'versions' }>;

/**
 * Answers a relay that may have missed events with the versions it holds of its rooms: what it
 * missed goes first (`replay`, if lila-core still keeps it), then each room's latest version; a room
 * still behind after them is lost to it, and its sockets fetch the state again.
 */
export function answerVersions(o: {
  publish: Publisher;
  lobbyVersion: () => number;
  /** A game's latest version, undefined for no such game. */
  gameVersion: (id: string) => Promise<number | undefined>;
  /** A tournament room's latest version, undefined for one not held. */
  tournamentVersion?: (id: string) => number | undefined;
}) {
  const latestOf = async (room: string): Promise<number | undefined> => {
    if (room === Room.lobby) return o.lobbyVersion();
    const parsed = parseRoom(room);
    if (parsed?.kind === 'tournament') return o.tournamentVersion?.(parsed.id);
    const gameId = gameIdOf(room);
    return gameId === undefined ? undefined : o.gameVersion(gameId);
  };

  return async (m: VersionsAsk): Promise<unknown> => {
    const latest: Record<string, number> = {};
    await Promise.all(
      Object.entries(m.d.rooms).map(async ([room, had]) => {
        const v = await latestOf(room);
        if (v === undefined) return;
        latest[room] = v;
        if (v > had) o.publish.replay(m.relay, room, had, v);
      }),
    );
    return o.publish.versions(m.relay, latest);
  };
}
