import type { Frame } from '../../../client/index.js';

/**
 * The game a player's page goes to on its own: a `redirect` that came on the user's channel (which
 * the `/play` socket is in, as every signed-in socket; unversioned), to a game of theirs that
 * started: the next pairing of an arena (lila-core pairs a player again while their finished game's
 * page is open), a seek or challenge accepted elsewhere, a rematch. lichess follows it from any
 * page. A spectator's page does not: its channel is the watcher's, not this game's players'. A
 * versioned `redirect` is the game room's rematch (view.ts keeps it as `rematchId`), and a redirect
 * to this very game is where the page already is.
 */
export function nextGameOf(frame: Frame, page: { gameId: string; player: boolean }): string | null {
  if (!page.player || !('t' in frame) || frame.t !== 'redirect') return null;
  if ('v' in frame && frame.v !== undefined) return null;
  return frame.d.id === page.gameId ? null : frame.d.id;
}
