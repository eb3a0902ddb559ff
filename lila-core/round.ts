import { gameIdOf } from '../protocol/channels.js';
import { encodeFrame, errorFrame } from '../protocol/client-out.js';
import { isAnonymous } from '../protocol/game.js';
import type { SocketEnvelope } from '../protocol/core-in.js';
import type { Logger } from '../src/log.js';
import { createChatFlood } from './chat/flood.js';
import { cleanChatLine } from './chat/text.js';
import { clocksInSeconds } from './game/clock.js';
import { announced, colorOf, opposite, toJson, turnOf, type Game, type Transition } from './game/game.js';
import type { Games } from './game/games.js';
import { SaveUnsettled } from './game/save-errors.js';
import { drawNo, drawYes, moretime, rematchNo, rematchYes, takebackNo, takebackYes } from './game/offers.js';
import { berserk } from './game/berserk.js';
import { abort, claimOutOfTime, forceEnd, move, resign } from './game/play.js';
import type { StartGame } from './game/start.js';
import type { Crowds } from './crowd.js';
import type { Publisher } from './publish.js';
import { refuse } from './result.js';
import { QueueFull } from './serial.js';

type Act = (game: Game, at: number) => Transition;

/**
 * Game-room traffic from relays: sockets joining and leaving, and every player's action. Each
 * message comes with `at`, when lila-core takes it to have happened (receive-time.ts): a move's
 * think time runs to there, whatever it then waits in the game's queue.
 */
export function createRound(
  games: Games,
  startGame: StartGame,
  presence: Crowds,
  publish: Publisher,
  now: () => number,
  log: Logger,
  moveSaved: () => void = () => undefined,
) {
  const chatFlood = createChatFlood();

  /** With a move stamped `a`, the answer carries `a` so the relay stops sending the move again. */
  const tell = (m: SocketEnvelope, frame: string) =>
    publish.socket(m.relay, m.sid, frame, m.t === 'move' ? m.d.a : undefined);

  const join = (m: Extract<SocketEnvelope, { t: 'join' }>, gameId: string) =>
    games.read(gameId, (game) => {
      if (!game) return publish.join(m.relay, m.sid, 404);
      const color = m.d.role === 'play' ? colorOf(game, m.user) : undefined;
      if (m.d.role === 'play' && !color) return publish.join(m.relay, m.sid, 403);
      presence.joined(gameId, m, m.user, color);
      const state = encodeFrame({ t: 'state', v: game.v, d: toJson(game, now()) });
      return publish.join(m.relay, m.sid, 200, state, { color, v: game.v });
    });

  const act = async (m: SocketEnvelope, gameId: string, transition: Act) => {
    let result: Transition | undefined;
    try {
      result = await games.act(gameId, transition, { bounded: true });
      if (result?.ok && result.value.rematch) await startRematch(result.value.game);
    } catch (err) {
      if (err instanceof QueueFull) return tell(m, errorFrame('unavailable', 'this game is too busy; try again'));
      // It may have been saved: not refused. A relay sends a move again, answered once the game knows.
      if (err instanceof SaveUnsettled) return log.warn({ game: gameId, err: err.message }, 'action in doubt');
      log.error({ game: gameId, err: (err as Error).message }, 'action failed');
      return tell(m, errorFrame('unavailable', 'the server could not save this action; try again'));
    }
    if (!result) return tell(m, errorFrame('not_your_game', 'no such game'));
    if (!result.ok) return tell(m, errorFrame(result.code, result.message));
    // Saved and published: now, and only now, the mover hears that its move landed.
    if (m.t === 'move' && result.value.events.length) moveSaved();
    if (m.t === 'move' && m.d.a !== undefined) return tell(m, encodeFrame({ t: 'ack', d: m.d.a }));
  };

  /** Same clock, colours swapped; the room follows with `redirect`, the players on their own channels too. */
  const startRematch = (game: Game) =>
    startGame({
      players: { white: game.players.black, black: game.players.white },
      clock: game.clockConfig,
      rated: game.rated,
      rematchOf: game.id,
    });

  /** Chat: players talk to players, spectators (signed in) to spectators; never across. */
  const talk =
    (user: string, text: string): Act =>
    (game) => {
      const player = colorOf(game, user) !== undefined;
      if (!player && isAnonymous(user)) return refuse('not_allowed_here', 'sign in to chat');
      return announced(game, [{ t: 'message', d: { u: user, text }, to: player ? 'players' : 'spectators' }]);
    };

  /**
   * A chat line is cleaned and counted against its user's limits when it arrives, before it may
   * queue on the game: a flood is refused at the cost of a map lookup, whatever the game's queue.
   */
  const chat = (m: Extract<SocketEnvelope, { t: 'talk' }>, gameId: string) => {
    if (m.user === null) return tell(m, errorFrame('not_allowed_here', 'sign in to chat'));
    const text = cleanChatLine(m.d);
    if (text === undefined)
      return tell(m, errorFrame('bad_message', 'talk: d: nothing left once control characters are removed'));
    const allowed = chatFlood.check(m.user, text, now());
    if (!allowed.ok) return allowed.quiet ? undefined : tell(m, errorFrame(allowed.code, allowed.message));
    return act(m, gameId, talk(m.user, text));
  };

  /** From memory when the game is there (every game in progress is): a clock request never queues. */
  const clock = (m: SocketEnvelope, gameId: string) => {
    const answer = (game: Game | undefined) =>
      game
        ? tell(m, encodeFrame({ t: 'clock', d: clocksInSeconds(game.clock, turnOf(game), now()) }))
        : tell(m, errorFrame('not_your_game', 'no such game'));
    const live = games.peek(gameId);
    return live ? answer(live) : games.read(gameId, answer);
  };

  const forced =
    (m: SocketEnvelope, gameId: string, how: 'win' | 'draw'): Act =>
    (game, at) => {
      const color = colorOf(game, m.user);
      const gone = color !== undefined && presence.isGone(gameId, opposite(color));
      return forceEnd(game, m.user, how, gone, at);
    };

  return async (m: SocketEnvelope, at = now()): Promise<unknown> => {
    const gameId = gameIdOf(m.room);
    if (gameId === undefined) return tell(m, errorFrame('not_allowed_here', `"${m.t}" needs a game room`));
    const as = m.user;
    switch (m.t) {
      case 'join':
        return join(m, gameId);
      case 'leave':
        return presence.left(gameId, m);
      case 'clock':
        return clock(m, gameId);
      case 'move': {
        const origin = m.d.a === undefined ? undefined : { sid: m.sid, a: m.d.a };
        return act(m, gameId, (game, now) => move(game, as, m.d.u, now, origin, m.d.l, at));
      }
      case 'resign':
        return act(m, gameId, (game, at) => resign(game, as, at));
      case 'abort':
        return act(m, gameId, (game, at) => abort(game, as, at));
      case 'outoftime':
        return act(m, gameId, (game, at) => claimOutOfTime(game, as, at));
      case 'draw-yes':
        return act(m, gameId, (game, at) => drawYes(game, as, at));
      case 'draw-no':
        return act(m, gameId, (game) => drawNo(game, as));
      case 'takeback-yes':
        return act(m, gameId, (game, at) => takebackYes(game, as, at));
      case 'takeback-no':
        return act(m, gameId, (game, at) => takebackNo(game, as, at));
      case 'moretime':
        return act(m, gameId, (game, at) => moretime(game, as, at));
      case 'rematch-yes':
        return act(m, gameId, (game) => rematchYes(game, as));
      case 'rematch-no':
        return act(m, gameId, (game) => rematchNo(game, as));
      case 'resign-force':
        return act(m, gameId, forced(m, gameId, 'win'));
      case 'draw-force':
        return act(m, gameId, forced(m, gameId, 'draw'));
      case 'talk':
        return chat(m, gameId);
      case 'berserk':
        return act(m, gameId, (game, at) => berserk(game, as, at));
    }
  };
}
