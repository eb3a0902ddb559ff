import { INITIAL_FEN } from 'chessops/fen';
import { replay } from '../../lila-core/game/chess.js';
import { colorOf, isOver, toJson, turnOf, type Game, type Transition } from '../../lila-core/game/game.js';
import { move, resign } from '../../lila-core/game/play.js';
import { EndEvent, MoveEvent, type ClientOut } from '../../protocol/client-out.js';
import { GameJson } from '../../protocol/game.js';
import { BLACK, FOOLS_MATE, gameAt, LOYD_STALEMATE, newGame, OPENINGS, sansOf, sanToUci, WHITE } from './fixtures.js';

const T0 = 1_710_000_000_000;

/** A room event's frame, as sockets receive it. */
type GameEvent = Extract<ClientOut, { t: string; v: number }>;

function ok(t: Transition): { game: Game; events: GameEvent[] } {
  if (!t.ok) throw new Error(`refused: ${t.code} ${t.message}`);
  return { game: t.value.game, events: t.value.events.map((e) => e.frame as GameEvent) };
}

/** Plays `ucis` by whoever is on turn, one second apart from `start`; returns the game and every event. */
function playAll(game: Game, ucis: readonly string[], start = T0, step = 1_000): { game: Game; events: GameEvent[] } {
  const events: GameEvent[] = [];
  ucis.forEach((uci, i) => {
    const mover = turnOf(game) === 'white' ? WHITE.id : BLACK.id;
    const t = ok(move(game, mover, uci, start + i * step));
    game = t.game;
    events.push(...t.events);
  });
  return { game, events };
}

describe('who plays', () => {
  test('colorOf: the players and nobody else', () => {
    const game = newGame();
    expect(colorOf(game, WHITE.id)).toBe('white');
    expect(colorOf(game, BLACK.id)).toBe('black');
    expect(colorOf(game, 'carol')).toBeUndefined();
    expect(colorOf(game, null)).toBeUndefined();
  });

  test('turnOf follows the position; isOver follows the status', () => {
    const game = newGame();
    expect(turnOf(game)).toBe('white');
    expect(isOver(game)).toBe(false);
    const after = ok(move(game, WHITE.id, 'e2e4', T0)).game;
    expect(turnOf(after)).toBe('black');
    expect(isOver(ok(resign(after, WHITE.id, 0)).game)).toBe(true);
  });
});

describe('move', () => {
  test('a legal move: new game state and one move event with v = 1', () => {
    const game = newGame();
    const { game: next, events } = ok(move(game, WHITE.id, 'e2e4', T0));
    expect(next.moves).toEqual(['e2e4']);
    expect(next.sans).toEqual(['e4']);
    expect(next.fen).toBe('rnbqkbnr/pppppppp/8/8/4P3/8/PPPP1PPP/RNBQKBNR b KQkq - 0 1');
    expect(next.v).toBe(1);
    expect(next.status).toBe('started');
    expect(events).toEqual([
      { t: 'move', v: 1, d: { ply: 1, uci: 'e2e4', san: 'e4', fen: next.fen, clock: { white: 60, black: 60 } } },
    ]);
    expect(MoveEvent.safeParse(events[0]).success).toBe(true);
  });

  test('is pure: the game it is given does not change', () => {
    const game = newGame();
    move(game, WHITE.id, 'e2e4', T0);
    expect(game.moves).toEqual([]);
    expect(game.v).toBe(0);
    expect(game.fen).toBe(INITIAL_FEN);
    expect(game.position.turn).toBe('white');
  });

  test('refuses someone who does not play the game: not_your_game', () => {
    for (const user of ['carol', null]) {
      const t = move(newGame(), user, 'e2e4', T0);
      expect(t).toMatchObject({ ok: false, code: 'not_your_game' });
    }
  });

  test('refuses a move out of turn: not_your_turn', () => {
    expect(move(newGame(), BLACK.id, 'e7e5', T0)).toMatchObject({ ok: false, code: 'not_your_turn' });
    const after = ok(move(newGame(), WHITE.id, 'e2e4', T0)).game;
    expect(move(after, WHITE.id, 'd2d4', T0)).toMatchObject({ ok: false, code: 'not_your_turn' });
  });

  test('refuses an illegal move: illegal_move, naming the move', () => {
    for (const uci of ['e2e5', 'e1e2', 'e7e5', 'zz']) {
      const t = move(newGame(), WHITE.id, uci, T0);
      expect(t).toEqual({ ok: false, code: 'illegal_move', message: `${uci} is not a legal move here` });
    }
  });

  test('refuses any move on a finished game: game_over', () => {
    const resigned = ok(resign(newGame(), WHITE.id, 0)).game;
    for (const user of [WHITE.id, BLACK.id]) {
      const t = move(resigned, user, 'e2e4', T0);
      expect(t).toMatchObject({ ok: false, code: 'game_over', message: 'the game is over (resign)' });
    }
    const mated = playAll(newGame(), FOOLS_MATE).game;
    expect(move(mated, WHITE.id, 'a2a3', T0 + 10_000)).toMatchObject({ ok: false, code: 'game_over' });
  });

  test('a stranger on a finished game hears not_your_game, not game_over', () => {
    const resigned = ok(resign(newGame(), WHITE.id, 0)).game;
    expect(move(resigned, 'carol', 'e2e4', T0)).toMatchObject({ ok: false, code: 'not_your_game' });
  });

  test('move events carry the clocks at the time of the move (3 s thought, 2 s increment)', () => {
    let game = newGame();
    game = ok(move(game, WHITE.id, 'e2e4', T0)).game;
    const black = ok(move(game, BLACK.id, 'e7e5', T0 + 20_000));
    expect(black.events[0]).toMatchObject({ d: { clock: { white: 60, black: 60 } } });
    const white = ok(move(black.game, WHITE.id, 'g1f3', T0 + 23_000));
    expect(white.events[0]).toMatchObject({ v: 3, d: { ply: 3, san: 'Nf3', clock: { white: 59, black: 60 } } });
  });

  test.each(OPENINGS.map(([eco, name, pgn]) => [eco, name, pgn]))(
    'a real game (%s %s): contiguous v, plies, SANs as chessops reads them',
    (_eco, _name, pgn) => {
      const sans = sansOf(pgn);
      const { ucis } = sanToUci(sans);
      const { game, events } = playAll(newGame(), ucis);
      expect(events.map((e) => e.v)).toEqual(ucis.map((_, i) => i + 1));
      expect(events.map((e) => (e.t === 'move' ? e.d.ply : -1))).toEqual(ucis.map((_, i) => i + 1));
      expect(events.every((e) => MoveEvent.safeParse(e).success)).toBe(true);
      expect(game.v).toBe(ucis.length);
      expect(game.sans).toEqual(sans);
      expect(game.moves).toEqual(ucis);
      expect(game.fen).toBe(replay(ucis).fen);
      expect(game.status).toBe('started');
    },
  );
});

describe('endings on the board', () => {
  test('checkmate: the move event, then an end event with the next v; the winner is the mater', () => {
    const { game, events } = playAll(newGame(), FOOLS_MATE);
    expect(events.map((e) => [e.t, e.v])).toEqual([
      ['move', 1],
      ['move', 2],
      ['move', 3],
      ['move', 4],
      ['end', 5],
    ]);
    expect(events[3]).toMatchObject({ d: { san: 'Qh4#', ply: 4 } });
    expect(events[4]).toMatchObject({ t: 'end', v: 5, d: { winner: 'black', status: 'mate' } });
    expect(EndEvent.safeParse(events[4]).success).toBe(true);
    expect(game).toMatchObject({ status: 'mate', winner: 'black', v: 5 });
    expect(game.moves).toEqual(FOOLS_MATE);
  });

  test('stalemate (Loyd’s ten-move game) ends drawn', () => {
    const { game, events } = playAll(newGame(), LOYD_STALEMATE);
    expect(events.at(-1)).toMatchObject({
      t: 'end',
      v: LOYD_STALEMATE.length + 1,
      d: { winner: null, status: 'stalemate' },
    });
    expect(game).toMatchObject({ status: 'stalemate', winner: null, v: LOYD_STALEMATE.length + 1 });
    expect(game.sans.at(-1)).toBe('Qe6');
  });

  test('capturing the last piece that could mate ends the game drawn (insufficient material)', () => {
    const game = gameAt('4k3/8/8/8/8/8/3n4/4K3 w - - 0 1');
    const { game: next, events } = ok(move(game, WHITE.id, 'e1d2', T0));
    expect(events).toEqual([
      expect.objectContaining({ t: 'move', v: 1, d: expect.objectContaining({ san: 'Kxd2' }) }),
      { t: 'end', v: 2, d: { winner: null, status: 'draw', clock: { white: 60, black: 60 } } },
    ]);
    expect(next).toMatchObject({ status: 'draw', winner: null, v: 2 });
  });

  test('the clock stops when the game ends', () => {
    let game = newGame();
    game = playAll(game, FOOLS_MATE.slice(0, 3), T0).game;
    const mated = ok(move(game, BLACK.id, 'd8h4', T0 + 10_000)).game;
    expect(mated.clock.runningSince).toBeNull();
    expect(toJson(mated, T0 + 10_000).clocks).toEqual(toJson(mated, T0 + 3_600_000).clocks);
  });
});

describe('flagging', () => {
  /** White and black have each moved once: white's clock has run since T0 + 1000. */
  const running = () => playAll(newGame(), ['e2e4', 'e7e5'], T0, 1_000).game;

  test('a move after the mover’s time ran out ends the game outoftime; the move is not played', () => {
    const game = running();
    const t = ok(move(game, WHITE.id, 'g1f3', T0 + 1_000 + 60_001));
    expect(t.events).toMatchObject([{ t: 'end', v: 3, d: { winner: 'black', status: 'outoftime' } }]);
    expect(t.game).toMatchObject({ status: 'outoftime', winner: 'black', v: 3 });
    expect(t.game.moves).toEqual(['e2e4', 'e7e5']);
    expect(t.game.fen).toBe(game.fen);
  });

  test('a move with time left is played', () => {
    const t = ok(move(running(), WHITE.id, 'g1f3', T0 + 1_000 + 59_999));
    expect(t.game.moves).toEqual(['e2e4', 'e7e5', 'g1f3']);
    expect(t.events[0]).toMatchObject({ t: 'move', d: { clock: { white: 2, black: 60 } } });
  });

  test('the first moves cannot flag (the clock does not run yet)', () => {
    const t = ok(move(newGame(), WHITE.id, 'e2e4', T0 + 3_600_000));
    expect(t.game.status).toBe('started');
  });

  test('flagged against a lone king: drawn', () => {
    const game = gameAt('4k3/8/8/8/8/8/4P3/4K3 w - - 0 1', {
      remaining: { white: 1_000, black: 30_000 },
      runningSince: T0,
    });
    const t = ok(move(game, WHITE.id, 'e2e4', T0 + 5_000));
    expect(t.events).toMatchObject([{ t: 'end', v: 1, d: { winner: null, status: 'outoftime' } }]);
    expect(t.game).toMatchObject({ status: 'outoftime', winner: null });
  });

  test('flagged with a queen against king and bishop alone: drawn (a lone bishop cannot mate a queen)', () => {
    const game = gameAt('4kb2/8/8/8/8/8/8/3QK3 w - - 0 1', {
      remaining: { white: 1_000, black: 30_000 },
      runningSince: T0,
    });
    expect(ok(move(game, WHITE.id, 'e1e2', T0 + 5_000)).game).toMatchObject({ status: 'outoftime', winner: null });
  });

  test('flagged with a pawn against king and bishop: the bishop wins (a mate is possible)', () => {
    const game = gameAt('4kb2/8/8/8/8/8/4P3/4K3 w - - 0 1', {
      remaining: { white: 1_000, black: 30_000 },
      runningSince: T0,
    });
    expect(ok(move(game, WHITE.id, 'e2e4', T0 + 5_000)).game).toMatchObject({ status: 'outoftime', winner: 'black' });
  });

  test('flagged against a rook: the opponent wins', () => {
    const game = gameAt('4k3/r7/8/8/8/8/4P3/4K3 w - - 0 1', {
      remaining: { white: 1_000, black: 30_000 },
      runningSince: T0,
    });
    expect(ok(move(game, WHITE.id, 'e2e4', T0 + 5_000)).game).toMatchObject({ status: 'outoftime', winner: 'black' });
  });

  test('black flagged against white’s queen: white wins', () => {
    const game = gameAt('4k3/8/8/8/8/8/8/3QK3 b - - 0 1', {
      remaining: { white: 30_000, black: 1_000 },
      runningSince: T0,
    });
    expect(ok(move(game, BLACK.id, 'e8e7', T0 + 5_000)).game).toMatchObject({ status: 'outoftime', winner: 'white' });
  });

  // Suspected bug: end() stops the clock without charging the flagged side its elapsed time, so
  // a game lost on time still reports the loser's time from the start of the turn.
  test('after losing on time, the flagged side’s clock reads 0', () => {
    const flagged = ok(move(running(), WHITE.id, 'g1f3', T0 + 1_000 + 65_000)).game;
    expect(flagged.status).toBe('outoftime');
    expect(toJson(flagged, T0 + 1_000 + 65_000).clocks.white).toBe(0);
  });
});

describe('resign', () => {
  test('either player may resign on either turn; the other wins; one end event', () => {
    const game = newGame({ v: 7 });
    expect(ok(resign(game, WHITE.id, 0))).toMatchObject({
      game: { status: 'resign', winner: 'black', v: 8 },
      events: [{ t: 'end', v: 8, d: { winner: 'black', status: 'resign' } }],
    });
    expect(ok(resign(game, BLACK.id, 0))).toMatchObject({
      game: { status: 'resign', winner: 'white', v: 8 },
      events: [{ t: 'end', v: 8, d: { winner: 'white', status: 'resign' } }],
    });
  });

  test('refused to strangers and on finished games', () => {
    expect(resign(newGame(), 'carol', 0)).toMatchObject({ ok: false, code: 'not_your_game' });
    expect(resign(newGame(), null, 0)).toMatchObject({ ok: false, code: 'not_your_game' });
    const over = ok(resign(newGame(), WHITE.id, 0)).game;
    expect(resign(over, BLACK.id, 0)).toMatchObject({ ok: false, code: 'game_over' });
  });
});

describe('toJson', () => {
  test('matches the GameJson schema and reports the running clock', () => {
    const { game } = playAll(newGame(), ['e2e4', 'e7e5', 'g1f3'], T0, 1_000);
    // black's clock has run since T0 + 2000
    const json = toJson(game, T0 + 2_000 + 12_340);
    expect(GameJson.safeParse(json).success).toBe(true);
    expect(json).toEqual({
      id: 'AbCd1234',
      players: { white: WHITE, black: BLACK },
      clock: { limit: 60, increment: 2 },
      clocks: { white: 61, black: 47.66 },
      moves: ['e2e4', 'e7e5', 'g1f3'],
      sans: ['e4', 'e5', 'Nf3'],
      fen: game.fen,
      status: 'started',
      winner: null,
      v: 3,
    });
  });
});
