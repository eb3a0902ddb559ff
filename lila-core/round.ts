import { errorFrame } from '../protocol/client-out.js';
import type { SocketEnvelope } from '../protocol/core-in.js';
import type { Logger } from '../src/log.js';
import { colorOf, move, resign, toJson, type Transition } from './game/game.js';
import type { Games } from './game/games.js';
import type { Publisher } from './publish.js';

/** Game-room actions arriving from relays: join, move, resign. */
export function createRound(games: Games, publish: Publisher, now: () => number, log: Logger) {
  /** With a move stamped `a`, the answer carries `a` so the relay stops sending the move again. */
  const tell = (m: SocketEnvelope, frame: string) =>
    publish.socket(m.relay, m.sid, frame, m.t === 'move' ? m.d.a : undefined);

  const join = (m: Extract<SocketEnvelope, { t: 'join' }>, gameId: string) =>
    games.read(gameId, (game) => {
      if (!game) return publish.join(m.relay, m.sid, 404);
      if (m.d.role === 'play' && !colorOf(game, m.user)) return publish.join(m.relay, m.sid, 403);
      return publish.join(m.relay, m.sid, 200, JSON.stringify({ t: 'state', v: game.v, d: toJson(game, now()) }));
    });

  const act = async (m: SocketEnvelope, gameId: string, transition: Parameters<Games['act']>[1]) => {
    let result: Transition | undefined;
    try {
      result = await games.act(gameId, transition);
    } catch (err) {
      log.error({ game: gameId, err: (err as Error).message }, 'action failed');
      return tell(m, errorFrame('unavailable', 'the server could not save this action; try again'));
    }
    if (!result) return tell(m, errorFrame('not_your_game', 'no such game'));
    if (!result.ok) return tell(m, errorFrame(result.refusal.code, result.refusal.message));
    // Saved and published: now, and only now, the mover hears that its move landed.
    if (m.t === 'move' && m.d.a !== undefined) return tell(m, JSON.stringify({ t: 'ack', d: m.d.a }));
  };

  return async (m: SocketEnvelope): Promise<unknown> => {
    if (!m.room.startsWith('game:')) return tell(m, errorFrame('not_allowed_here', `"${m.t}" needs a game room`));
    const gameId = m.room.slice('game:'.length);
    switch (m.t) {
      case 'join':
        return join(m, gameId);
      case 'move':
        return act(m, gameId, (game, at) =>
          move(game, m.user, m.d.u, at, m.d.a === undefined ? undefined : { sid: m.sid, a: m.d.a }),
        );
      case 'resign':
        return act(m, gameId, (game, at) => resign(game, m.user, at));
    }
  };
}
