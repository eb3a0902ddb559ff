import { gameIdOf, Room } from '../protocol/channels.js';
import type { CoreIn } from '../protocol/core-in.js';
import type { Crowds } from './crowd.js';
import { colorOf, type Game } from './game/game.js';
import type { Games } from './game/games.js';
import type { Lobby } from './lobby/lobby.js';

type SocketsReport = Extract<CoreIn, { t: 'sockets' }>;
type Report = { named: Set<string>; games: Set<string>; joins: Promise<unknown>[] };

/**
 * A relay's report of every socket it admitted (CoreIn `sockets`), page by page: sent when a
 * restarted lila-core asks (`sync`) and after messages of the relay were lost. Each socket counts
 * in its game's crowd or in the lobby as if it had joined again (a player's side read from the
 * game, as at a join); on the last page the relay's sockets the report did not name are forgotten,
 * and a game in progress reported with a player nowhere starts that player's absence (`goneIn`).
 */
export function createSocketReports(o: { games: Games; crowds: Crowds; lobby: Lobby }) {
  /** Reports under way, by `relay/boot`. */
  const reports = new Map<string, Report>();

  return async (m: SocketsReport): Promise<void> => {
    const key = `${m.relay}/${m.boot}`;
    let report = reports.get(key);
    if (m.d.first || !report) reports.set(key, (report = { named: new Set(), games: new Set(), joins: [] }));
    const { named, games, joins } = report;
    for (const { sid, user, room, role } of m.d.sockets) {
      named.add(sid);
      const at = { relay: m.relay, boot: m.boot, sid };
      if (room === Room.lobby) o.lobby.reported(at, user);
      const gameId = gameIdOf(room);
      if (gameId === undefined) continue;
      games.add(gameId);
      const join = (game: Game | undefined) =>
        game && o.crowds.joined(gameId, at, user, role === 'play' ? colorOf(game, user) : undefined);
      // From memory, at once, as every game in progress is there: a `leave` handled meanwhile cannot
      // be undone by a join that lands after it. A finished game is read (its crowd alone is at stake).
      const live = o.games.peek(gameId);
      if (live) join(live);
      else joins.push(o.games.read(gameId, join));
    }
    if (!m.d.last) return;
    reports.delete(key);
    o.crowds.keepOnly(m.relay, m.boot, named);
    o.lobby.keepOnly(m.relay, m.boot, named);
    await Promise.all(joins);
    for (const gameId of games) o.crowds.expectPlayers(gameId);
  };
}
