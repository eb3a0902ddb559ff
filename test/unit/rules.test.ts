import { replay } from '../../lila-core/game/chess.js';
import { firstMoveLimitMs, initialClock, speedOf, type Speed } from '../../lila-core/game/clock.js';
import { toJson, turnOf, type Game, type GameEvent, type Transition } from '../../lila-core/game/game.js';
import {
  drawNo,
  drawYes,
  moretime,
  rematchNo,
  rematchStarted,
  rematchYes,
  takebackNo,
  takebackYes,
} from '../../lila-core/game/offers.js';
import { abort, claimOutOfTime, deadline, forceEnd, move, resign, tick } from '../../lila-core/game/play.js';
import { ClockEvent, DrawOffer, EndEvent, RematchOffer, Reload, TakebackOffers } from '../../protocol/client-out.js';
import type { ClockConfig } from '../../protocol/game.js';
import { BLACK, gameAt, newGame, OPENINGS, sansOf, sanToUci, WHITE } from './fixtures.js';

/** lichess's rules as the game core implements them: aborts, flags, draws, takebacks, rematches. */

const T0 = newGame().createdAt;

/**
 * A transition that must be accepted. Every one is checked for its versions: its events follow
 * `before.v` one by one, and the game's version is the last of them.
 */
function ok(before: Game, t: Transition): { game: Game; events: GameEvent[]; frames: GameEvent['frame'][] } {
  if (!t.ok) throw new Error(`refused: ${t.code} ${t.message}`);
  const vs = t.value.events.map((e) => e.frame.v);
  expect(vs).toEqual(vs.map((_, i) => before.v + i + 1));
  expect(t.value.game.v).toBe(before.v + t.value.events.length);
  return { game: t.value.game, events: t.value.events, frames: t.value.events.map((e) => e.frame) };
}

const refused = (t: Transition, code: string) => expect(t).toMatchObject({ ok: false, code });

const idOf = (game: Game) => (turnOf(game) === 'white' ? WHITE.id : BLACK.id);

/** Plays `ucis` by whoever is on turn, `step` ms apart from `start`. */
function playAll(game: Game, ucis: readonly string[], start = T0, step = 1_000) {
  const events: GameEvent[] = [];
  ucis.forEach((uci, i) => {
    const t = ok(game, move(game, idOf(game), uci, start + i * step));
    game = t.game;
    events.push(...t.events);
  });
  return { game, events };
}

const ucisOf = (movetext: string) => sanToUci(sansOf(movetext)).ucis;
/** Knights out and back: the initial position again after every four plies. */
const KNIGHTS = ucisOf('1. Nf3 Nf6 2. Ng1 Ng8');

describe('abort', () => {
  test.each([0, 1])('allowed at ply %i, to either player: aborted, no winner, one end event', (ply) => {
    const game = playAll(newGame(), ['e2e4'].slice(0, ply)).game;
    for (const user of [WHITE.id, BLACK.id]) {
      const t = ok(game, abort(game, user, T0 + 5_000));
      expect(t.game).toMatchObject({ status: 'aborted', winner: null });
      expect(t.frames).toEqual([
        { t: 'end', v: ply + 1, d: { winner: null, status: 'aborted', clock: { white: 60, black: 60 } } },
      ]);
      expect(t.events[0].to).toBeUndefined();
      expect(EndEvent.safeParse(t.frames[0]).success).toBe(true);
    }
  });

  test('refused from ply 2 on: not_allowed_now', () => {
    const game = playAll(newGame(), ['e2e4', 'e7e5']).game;
    refused(abort(game, WHITE.id, T0 + 5_000), 'not_allowed_now');
    refused(abort(game, BLACK.id, T0 + 5_000), 'not_allowed_now');
    const later = playAll(game, ['g1f3'], T0 + 3_000).game;
    refused(abort(later, BLACK.id, T0 + 5_000), 'not_allowed_now');
  });

  test('refused to someone who does not play: not_your_game; on a finished game: game_over', () => {
    refused(abort(newGame(), 'carol', T0), 'not_your_game');
    refused(abort(newGame(), null, T0), 'not_your_game');
    const over = ok(newGame(), abort(newGame(), WHITE.id, T0)).game;
    refused(abort(over, BLACK.id, T0), 'game_over');
  });
});

describe('first move: aborted by tick when it does not come in time', () => {
  const config = (limit: number, increment: number): ClockConfig => ({ limit, increment });
  const gameWith = (clockConfig: ClockConfig) => newGame({ clockConfig, clock: initialClock(clockConfig) });

  // lichess's speed: limit + 40 × increment seconds (0+1 is 40 s: bullet, as on lichess).
  test.each<[ClockConfig, Speed, number]>([
    [config(15, 0), 'ultraBullet', 15_000],
    [config(60, 0), 'bullet', 20_000],
    [config(0, 1), 'bullet', 20_000],
    [config(180, 2), 'blitz', 25_000],
    [config(600, 0), 'rapid', 30_000],
    [config(1800, 20), 'classical', 35_000],
  ])('%j is %s: %i ms for the first move', (clockConfig, speed, limit) => {
    expect(speedOf(clockConfig)).toBe(speed);
    expect(firstMoveLimitMs(clockConfig)).toBe(limit);
    const game = gameWith(clockConfig);
    expect(deadline(game)).toBe(T0 + limit);

    const early = ok(game, tick(game, T0 + limit - 1));
    expect(early.game).toBe(game);
    expect(early.events).toEqual([]);

    const late = ok(game, tick(game, T0 + limit));
    expect(late.game).toMatchObject({ status: 'aborted', winner: null });
    expect(late.frames).toMatchObject([{ t: 'end', v: 1, d: { winner: null, status: 'aborted' } }]);
    expect(deadline(late.game)).toBeNull();
  });

  test('after white’s first move, black’s limit counts from that move', () => {
    const game = gameWith(config(180, 2));
    const moved = ok(game, move(game, WHITE.id, 'e2e4', T0 + 10_000)).game;
    expect(deadline(moved)).toBe(T0 + 10_000 + 25_000);
    expect(ok(moved, tick(moved, T0 + 25_000)).game).toBe(moved);
    expect(ok(moved, tick(moved, T0 + 34_999)).game).toBe(moved);
    const aborted = ok(moved, tick(moved, T0 + 35_000));
    expect(aborted.game).toMatchObject({ status: 'aborted', winner: null, moves: ['e2e4'] });
    expect(aborted.frames).toMatchObject([{ t: 'end', v: 2, d: { status: 'aborted' } }]);
  });

  test('a finished game has no deadline, and tick leaves it alone', () => {
    const over = ok(newGame(), resign(newGame(), WHITE.id, T0)).game;
    expect(deadline(over)).toBeNull();
    expect(ok(over, tick(over, T0 + 3_600_000)).game).toBe(over);
  });
});

describe('flag by tick', () => {
  /** e4 e5 Nf3, one second apart, then white took 3 s: black's clock runs from T0 + 4000 with 60 s. */
  const running = () => {
    const opened = playAll(newGame(), ['e2e4', 'e7e5']).game;
    return ok(opened, move(opened, WHITE.id, 'g1f3', T0 + 4_000)).game;
  };

  test('the deadline is when the side to move runs out; tick then flags it, the opponent wins', () => {
    const game = running();
    expect(game.clock).toMatchObject({ remaining: { white: 59_000, black: 60_000 }, runningSince: T0 + 4_000 });
    expect(deadline(game)).toBe(T0 + 4_000 + 60_000);
    expect(ok(game, tick(game, T0 + 63_999)).game).toBe(game);
    const flagged = ok(game, tick(game, T0 + 64_000));
    expect(flagged.game).toMatchObject({ status: 'outoftime', winner: 'white' });
    expect(flagged.frames).toEqual([
      { t: 'end', v: 4, d: { winner: 'white', status: 'outoftime', clock: { white: 59, black: 0 } } },
    ]);
    expect(deadline(flagged.game)).toBeNull();
  });

  test('the deadline moves with each move', () => {
    const game = running();
    const answered = ok(game, move(game, BLACK.id, 'b8c6', T0 + 14_000)).game;
    // black spent 10 s and got 2 s; white's 59 s run from T0 + 14000
    expect(deadline(answered)).toBe(T0 + 14_000 + 59_000);
  });

  // White to move and out of time. Positions are set up directly: the two fake moves only say
  // that both sides have moved, so that the clock, not the first-move limit, decides.
  const flagIn = (fen: string) =>
    gameAt(fen, { remaining: { white: 1_000, black: 30_000 }, runningSince: T0 }, { moves: ['e2e4', 'e7e5'] });

  test.each([
    ['a lone king', null, '4k3/8/8/8/8/8/4P3/4K3 w - - 0 1'],
    ['king and knight, against a queen', null, '4k3/8/8/8/8/8/n7/3QK3 w - - 0 1'],
    ['king and knight, against a pawn (a mate is possible)', 'black', '4k3/8/8/8/8/8/n3P3/4K3 w - - 0 1'],
    ['king and rook', 'black', '4k3/r7/8/8/8/8/4P3/4K3 w - - 0 1'],
    ['king and pawn', 'black', '4k3/p7/8/8/8/8/4P3/4K3 w - - 0 1'],
  ] as const)('white flags; the opponent has %s: winner %s', (_what, winner, fen) => {
    const game = flagIn(fen);
    expect(deadline(game)).toBe(T0 + 1_000);
    expect(ok(game, tick(game, T0 + 999)).game).toBe(game);
    const t = ok(game, tick(game, T0 + 1_000));
    expect(t.game).toMatchObject({ status: 'outoftime', winner });
    expect(t.frames).toMatchObject([{ t: 'end', v: 1, d: { winner, status: 'outoftime' } }]);
  });
});

describe('claimOutOfTime', () => {
  const running = () => playAll(newGame(), ['e2e4', 'e7e5', 'g1f3'], T0, 1_000).game; // black runs from T0 + 2000

  test('refused while the side to move has time left', () => {
    const game = running();
    refused(claimOutOfTime(game, WHITE.id, T0 + 2_000 + 59_999), 'not_allowed_now');
    refused(claimOutOfTime(game, BLACK.id, T0 + 2_000 + 30_000), 'not_allowed_now');
  });

  test('accepted once it ran out: outoftime, the opponent wins', () => {
    const game = running();
    for (const claimer of [WHITE.id, BLACK.id]) {
      const t = ok(game, claimOutOfTime(game, claimer, T0 + 2_000 + 60_000));
      expect(t.game).toMatchObject({ status: 'outoftime', winner: 'white' });
      expect(t.frames).toMatchObject([{ t: 'end', v: 4, d: { winner: 'white', status: 'outoftime' } }]);
    }
  });

  test('refused before the clock runs, and to strangers', () => {
    const first = playAll(newGame(), ['e2e4']).game;
    refused(claimOutOfTime(first, WHITE.id, T0 + 3_600_000), 'not_allowed_now');
    refused(claimOutOfTime(running(), 'carol', T0 + 3_600_000), 'not_your_game');
  });
});

describe('draws', () => {
  const opened = () => playAll(newGame(), ['e2e4', 'e7e5']).game;

  test('no draw offer before each side has moved: not_allowed_now', () => {
    refused(drawYes(newGame(), WHITE.id, T0), 'not_allowed_now');
    refused(drawYes(newGame(), BLACK.id, T0), 'not_allowed_now');
    const one = playAll(newGame(), ['e2e4']).game;
    refused(drawYes(one, BLACK.id, T0), 'not_allowed_now');
    refused(drawYes(one, WHITE.id, T0), 'not_allowed_now');
  });

  test('an offer goes to everyone in the room; the opponent accepting it ends the game drawn', () => {
    const game = opened();
    const offer = ok(game, drawYes(game, WHITE.id, T0 + 2_000));
    expect(offer.events).toEqual([{ frame: { t: 'drawOffer', v: 3, d: { by: 'white' } } }]);
    expect(DrawOffer.safeParse(offer.frames[0]).success).toBe(true);
    expect(offer.game.offers.draw).toBe('white');
    expect(offer.game.status).toBe('started');

    // offering again while it is pending changes nothing
    const again = ok(offer.game, drawYes(offer.game, WHITE.id, T0 + 2_500));
    expect(again.game).toBe(offer.game);

    const accepted = ok(offer.game, drawYes(offer.game, BLACK.id, T0 + 3_000));
    expect(accepted.game).toMatchObject({ status: 'draw', winner: null });
    expect(accepted.game.offers.draw).toBeNull();
    expect(accepted.frames).toMatchObject([{ t: 'end', v: 4, d: { winner: null, status: 'draw' } }]);
  });

  test('draw-no declines the offer (or withdraws one’s own): drawOffer by null', () => {
    const game = opened();
    const offer = ok(game, drawYes(game, BLACK.id, T0 + 2_000)).game;
    for (const user of [WHITE.id, BLACK.id]) {
      const no = ok(offer, drawNo(offer, user));
      expect(no.events).toEqual([{ frame: { t: 'drawOffer', v: 4, d: { by: null } } }]);
      expect(no.game.offers.draw).toBeNull();
      expect(no.game.status).toBe('started');
    }
    refused(drawNo(game, WHITE.id), 'not_allowed_now');
  });

  test('the opponent’s move voids a pending offer: the move, then drawOffer by null', () => {
    const game = opened();
    const offer = ok(game, drawYes(game, BLACK.id, T0 + 2_000)).game;
    const moved = ok(offer, move(offer, WHITE.id, 'g1f3', T0 + 3_000));
    expect(moved.frames.map((f) => f.t)).toEqual(['move', 'drawOffer']);
    expect(moved.frames[1]).toEqual({ t: 'drawOffer', v: 5, d: { by: null } });
    expect(moved.events[1].to).toBeUndefined();
    expect(moved.game.offers.draw).toBeNull();
    // a move with no offer pending says nothing more
    const quiet = ok(moved.game, move(moved.game, BLACK.id, 'b8c6', T0 + 4_000));
    expect(quiet.frames.map((f) => f.t)).toEqual(['move']);
  });

  test('one offer per side every 20 plies', () => {
    const ucis = ucisOf(OPENINGS.find(([eco]) => eco === 'C89')![2]);
    let game = opened();
    game = ok(game, drawYes(game, WHITE.id, T0)).game; // offered at ply 2
    game = ok(game, drawNo(game, BLACK.id)).game;
    const at = (plies: number) => playAll(game, ucis.slice(2, plies), T0 + 2_000).game;

    // the other side may still offer
    const blackOffers = ok(at(3), drawYes(at(3), BLACK.id, T0));
    expect(blackOffers.frames).toMatchObject([{ t: 'drawOffer', d: { by: 'black' } }]);

    for (const plies of [3, 20, 21]) refused(drawYes(at(plies), WHITE.id, T0), 'not_allowed_now');
    const later = at(22);
    const offer = ok(later, drawYes(later, WHITE.id, T0));
    expect(offer.frames).toMatchObject([{ t: 'drawOffer', d: { by: 'white' } }]);
    // and then again not for 20 plies
    const next = playAll(ok(offer.game, drawNo(offer.game, BLACK.id)).game, ucis.slice(22, 26), T0 + 30_000).game;
    refused(drawYes(next, WHITE.id, T0), 'not_allowed_now');
  });

  test('threefold repetition: draw-yes ends the game at once, drawn, for either player', () => {
    const seven = playAll(newGame(), [...KNIGHTS, ...KNIGHTS].slice(0, 7)).game;
    // twice only: draw-yes is a plain offer
    expect(ok(seven, drawYes(seven, WHITE.id, T0 + 10_000)).frames).toMatchObject([{ t: 'drawOffer' }]);

    const eight = playAll(newGame(), [...KNIGHTS, ...KNIGHTS]).game;
    expect(eight.status).toBe('started');
    for (const user of [WHITE.id, BLACK.id]) {
      const t = ok(eight, drawYes(eight, user, T0 + 10_000));
      expect(t.game).toMatchObject({ status: 'draw', winner: null });
      expect(t.frames).toMatchObject([{ t: 'end', v: 9, d: { winner: null, status: 'draw' } }]);
    }
  });

  test('fivefold repetition ends the game on the move that makes it', () => {
    const fifteen = playAll(newGame(), [...KNIGHTS, ...KNIGHTS, ...KNIGHTS, ...KNIGHTS].slice(0, 15)).game;
    expect(fifteen.status).toBe('started');
    const t = ok(fifteen, move(fifteen, BLACK.id, 'f6g8', T0 + 20_000));
    expect(t.frames.map((f) => [f.t, f.v])).toEqual([
      ['move', 16],
      ['end', 17],
    ]);
    expect(t.frames[1]).toMatchObject({ d: { winner: null, status: 'draw' } });
    expect(t.game).toMatchObject({ status: 'draw', winner: null });
    expect(t.game.moves).toHaveLength(16);
  });

  // Positions set up with a halfmove clock; the fake moves only say that both sides have moved.
  const fiftyMoves = (halfmoves: number) =>
    gameAt(`4k3/8/8/8/8/8/4P3/R3K3 w - - ${halfmoves} 90`, undefined, { moves: ['e2e4', 'e7e5'] });

  test('fifty-move rule: claimable once the halfmove clock reaches 100, not automatic', () => {
    const before = fiftyMoves(99);
    expect(ok(before, drawYes(before, WHITE.id, T0)).frames).toMatchObject([{ t: 'drawOffer', d: { by: 'white' } }]);

    const quiet = ok(before, move(before, WHITE.id, 'a1a2', T0));
    expect(quiet.frames.map((f) => f.t)).toEqual(['move']);
    expect(quiet.game.status).toBe('started');
    const claim = ok(quiet.game, drawYes(quiet.game, BLACK.id, T0));
    expect(claim.game).toMatchObject({ status: 'draw', winner: null });
    expect(claim.frames).toMatchObject([{ t: 'end', d: { status: 'draw', winner: null } }]);

    // a pawn move resets the count
    const pawn = ok(before, move(before, WHITE.id, 'e2e3', T0)).game;
    expect(ok(pawn, drawYes(pawn, BLACK.id, T0)).frames).toMatchObject([{ t: 'drawOffer', d: { by: 'black' } }]);
  });

  test('75-move rule: the quiet move that reaches 150 halfmoves ends the game drawn', () => {
    const game = fiftyMoves(149);
    const t = ok(game, move(game, WHITE.id, 'a1a2', T0));
    expect(t.frames.map((f) => f.t)).toEqual(['move', 'end']);
    expect(t.game).toMatchObject({ status: 'draw', winner: null });
    // a pawn move instead: the game goes on
    expect(ok(game, move(game, WHITE.id, 'e2e4', T0)).game.status).toBe('started');
  });

  test('a mate on the 150th halfmove is a mate, not a draw', () => {
    const game = gameAt('7k/8/6K1/8/8/8/8/R7 w - - 149 120', undefined, { moves: ['e2e4', 'e7e5'] });
    const t = ok(game, move(game, WHITE.id, 'a1a8', T0));
    expect(t.game).toMatchObject({ status: 'mate', winner: 'white' });
    expect(t.frames.map((f) => f.t)).toEqual(['move', 'end']);
  });
});

describe('takebacks', () => {
  const RUY = ucisOf('1. e4 e5 2. Nf3 Nc6 3. Bb5');
  const played = (plies: number) => playAll(newGame(), RUY.slice(0, plies)).game;

  /** Accepting must rewind to exactly the game that replaying the remaining moves gives. */
  function expectRewound(game: Game, moves: string[]) {
    const r = replay(moves);
    expect(game.moves).toEqual(moves);
    expect(game.sans).toEqual(r.sans);
    expect(game.fen).toBe(r.fen);
    expect(game.positions).toEqual(r.positions);
    expect(game.clockHistory).toHaveLength(moves.length);
    expect(turnOf(game)).toBe(r.position.turn);
  }

  test('a proposal goes to the players only', () => {
    const game = played(3);
    const t = ok(game, takebackYes(game, WHITE.id, T0 + 5_000));
    expect(t.events).toEqual([
      { to: 'players', frame: { t: 'takebackOffers', v: 4, d: { white: true, black: false } } },
    ]);
    expect(TakebackOffers.safeParse(t.frames[0]).success).toBe(true);
    // proposing again while pending changes nothing
    expect(ok(t.game, takebackYes(t.game, WHITE.id, T0 + 5_500)).game).toBe(t.game);
  });

  test('accepted when the proposer moved last: one ply back, and a reload at its own version', () => {
    const game = played(3);
    const proposed = ok(game, takebackYes(game, WHITE.id, T0 + 5_000)).game;
    const t = ok(proposed, takebackYes(proposed, BLACK.id, T0 + 6_000));
    expectRewound(t.game, RUY.slice(0, 2));
    expect(turnOf(t.game)).toBe('white');
    expect(t.frames).toHaveLength(1);
    const reload = t.frames[0];
    expect(reload).toMatchObject({ t: 'reload', v: 5 });
    expect(t.events[0].to).toBeUndefined();
    expect(Reload.safeParse(reload).success).toBe(true);
    expect(reload.d).toEqual(toJson(t.game, T0 + 6_000));
    expect((reload.d as { v: number }).v).toBe(reload.v);
    expect(t.game.offers.takeback).toBeNull();
  });

  test('accepted after the opponent answered: two plies back', () => {
    const game = played(4);
    const proposed = ok(game, takebackYes(game, WHITE.id, T0 + 5_000)).game;
    const t = ok(proposed, takebackYes(proposed, BLACK.id, T0 + 6_000));
    expectRewound(t.game, RUY.slice(0, 2));
    expect(t.frames).toMatchObject([{ t: 'reload', v: 6, d: { v: 6, moves: RUY.slice(0, 2) } }]);

    // black's turn back, from black's proposal after white's answer
    const b = played(5);
    const byBlack = ok(b, takebackYes(b, BLACK.id, T0 + 5_000)).game;
    const back = ok(byBlack, takebackYes(byBlack, WHITE.id, T0 + 6_000));
    expectRewound(back.game, RUY.slice(0, 3));
    expect(turnOf(back.game)).toBe('black');
  });

  test('back to the first ply: the clock stops running and the first-move limit applies again', () => {
    const game = played(2);
    const proposed = ok(game, takebackYes(game, BLACK.id, T0 + 5_000)).game;
    const t = ok(proposed, takebackYes(proposed, WHITE.id, T0 + 6_000));
    expectRewound(t.game, RUY.slice(0, 1));
    expect(t.game.clock.runningSince).toBeNull();
    expect(deadline(t.game)).toBe(T0 + 6_000 + 20_000);
  });

  test('the game goes on from the rewound position', () => {
    const game = played(4);
    const proposed = ok(game, takebackYes(game, BLACK.id, T0 + 5_000)).game;
    const back = ok(proposed, takebackYes(proposed, WHITE.id, T0 + 6_000)).game;
    const t = ok(back, move(back, BLACK.id, 'g8f6', T0 + 7_000));
    expect(t.game.sans).toEqual(['e4', 'e5', 'Nf3', 'Nf6']);
    expect(t.frames).toMatchObject([{ t: 'move', v: 7, d: { ply: 4, san: 'Nf6' } }]);
  });

  test('declined: the next proposal waits 10 s after the first decline, 40 s after the second', () => {
    let game = played(3);
    game = ok(game, takebackYes(game, WHITE.id, T0 + 5_000)).game;
    const no = ok(game, takebackNo(game, BLACK.id, T0 + 10_000));
    expect(no.events).toEqual([
      { to: 'players', frame: { t: 'takebackOffers', v: 5, d: { white: false, black: false } } },
    ]);
    game = no.game;
    refused(takebackYes(game, WHITE.id, T0 + 19_999), 'not_allowed_now');
    game = ok(game, takebackYes(game, WHITE.id, T0 + 20_000)).game;
    game = ok(game, takebackNo(game, BLACK.id, T0 + 30_000)).game;
    refused(takebackYes(game, WHITE.id, T0 + 30_000 + 39_999), 'not_allowed_now');
    const third = ok(game, takebackYes(game, WHITE.id, T0 + 30_000 + 40_000));
    expect(third.frames).toMatchObject([{ t: 'takebackOffers', d: { white: true, black: false } }]);
  });

  test('withdrawing one’s own proposal costs no wait', () => {
    let game = played(3);
    game = ok(game, takebackYes(game, WHITE.id, T0 + 5_000)).game;
    game = ok(game, takebackNo(game, WHITE.id, T0 + 6_000)).game;
    expect(game.offers.takeback).toBeNull();
    expect(ok(game, takebackYes(game, WHITE.id, T0 + 6_000)).game.offers.takeback).toBe('white');
    refused(takebackNo(played(3), WHITE.id, T0), 'not_allowed_now');
  });

  test('a player with no move yet cannot propose', () => {
    refused(takebackYes(newGame(), WHITE.id, T0), 'not_allowed_now');
    refused(takebackYes(newGame(), BLACK.id, T0), 'not_allowed_now');
    const one = played(1);
    refused(takebackYes(one, BLACK.id, T0), 'not_allowed_now');
    expect(ok(one, takebackYes(one, WHITE.id, T0)).game.offers.takeback).toBe('white');
  });

  test('the opponent moving instead voids the proposal (players told)', () => {
    const game = played(3);
    const proposed = ok(game, takebackYes(game, WHITE.id, T0 + 5_000)).game;
    const t = ok(proposed, move(proposed, BLACK.id, 'b8c6', T0 + 6_000));
    expect(t.events.map((e) => [e.frame.t, e.to])).toEqual([
      ['move', undefined],
      ['takebackOffers', 'players'],
    ]);
    expect(t.frames[1].d).toEqual({ white: false, black: false });
    expect(t.game.offers.takeback).toBeNull();
    expect(t.game.moves).toEqual(RUY.slice(0, 4));
  });
});

describe('moretime', () => {
  // white's clock runs from T0 + 1000; at T0 + 6000 white has 55 s left
  const opened = () => playAll(newGame(), ['e2e4', 'e7e5']).game;

  test('the opponent gets 15 s; everyone gets both clocks, versioned', () => {
    const game = opened();
    const byBlack = ok(game, moretime(game, BLACK.id, T0 + 6_000));
    expect(byBlack.events).toEqual([{ frame: { t: 'clock', v: 3, d: { white: 70, black: 60 } } }]);
    expect(ClockEvent.safeParse(byBlack.frames[0]).success).toBe(true);
    expect(toJson(byBlack.game, T0 + 6_000).clocks).toEqual({ white: 70, black: 60 });
    expect(deadline(byBlack.game)).toBe(T0 + 1_000 + 75_000);

    const byWhite = ok(game, moretime(game, WHITE.id, T0 + 6_000));
    expect(byWhite.frames).toEqual([{ t: 'clock', v: 3, d: { white: 55, black: 75 } }]);
  });

  test('refused to strangers and on finished games', () => {
    refused(moretime(opened(), 'carol', T0), 'not_your_game');
    const over = ok(opened(), resign(opened(), WHITE.id, T0 + 2_000)).game;
    refused(moretime(over, BLACK.id, T0 + 3_000), 'game_over');
  });
});

describe('rematch', () => {
  const finished = () => {
    const game = playAll(newGame(), ['e2e4', 'e7e5']).game;
    return ok(game, resign(game, BLACK.id, T0 + 5_000)).game;
  };

  test('refused while the game is on', () => {
    refused(rematchYes(newGame(), WHITE.id), 'not_allowed_now');
    refused(rematchYes(playAll(newGame(), ['e2e4', 'e7e5']).game, BLACK.id), 'not_allowed_now');
  });

  test('refused to strangers', () => {
    refused(rematchYes(finished(), 'carol'), 'not_your_game');
    refused(rematchNo(finished(), null), 'not_your_game');
  });

  test('an offer goes to the players; the opponent accepting asks for the game, with no event', () => {
    const game = finished();
    const offer = ok(game, rematchYes(game, WHITE.id));
    expect(offer.events).toEqual([{ to: 'players', frame: { t: 'rematchOffer', v: 4, d: { by: 'white' } } }]);
    expect(RematchOffer.safeParse(offer.frames[0]).success).toBe(true);
    expect(ok(offer.game, rematchYes(offer.game, WHITE.id)).game).toBe(offer.game);

    const yes = rematchYes(offer.game, BLACK.id);
    expect(yes).toEqual({ ok: true, value: { game: offer.game, events: [], rematch: true } });
  });

  test('rematch-no declines (or withdraws): rematchOffer by null, to the players', () => {
    const game = finished();
    refused(rematchNo(game, BLACK.id), 'not_allowed_now');
    const offer = ok(game, rematchYes(game, WHITE.id)).game;
    for (const user of [WHITE.id, BLACK.id]) {
      const no = ok(offer, rematchNo(offer, user));
      expect(no.events).toEqual([{ to: 'players', frame: { t: 'rematchOffer', v: 5, d: { by: null } } }]);
      expect(no.game.offers.rematch).toBeNull();
      // and a new offer may follow
      expect(ok(no.game, rematchYes(no.game, BLACK.id)).frames).toMatchObject([{ d: { by: 'black' } }]);
    }
  });

  test('once started, everyone is redirected to it, and no further rematch is possible', () => {
    const game = finished();
    const offer = ok(game, rematchYes(game, BLACK.id)).game;
    const started = ok(offer, rematchStarted(offer, 'XyZw9876'));
    expect(started.events).toEqual([{ frame: { t: 'redirect', v: 5, d: { id: 'XyZw9876' } } }]);
    expect(started.game.offers).toMatchObject({ rematch: null, next: 'XyZw9876' });
    for (const user of [WHITE.id, BLACK.id]) refused(rematchYes(started.game, user), 'not_allowed_now');
  });
});

describe('forceEnd (the opponent is gone)', () => {
  const opened = () => playAll(newGame(), ['e2e4', 'e7e5']).game;

  test('refused while the opponent is not gone', () => {
    refused(forceEnd(opened(), WHITE.id, 'win', false, T0 + 5_000), 'not_allowed_now');
    refused(forceEnd(opened(), BLACK.id, 'draw', false, T0 + 5_000), 'not_allowed_now');
  });

  test('win: status timeout, the claimer wins', () => {
    for (const [user, color] of [
      [WHITE.id, 'white'],
      [BLACK.id, 'black'],
    ] as const) {
      const game = opened();
      const t = ok(game, forceEnd(game, user, 'win', true, T0 + 5_000));
      expect(t.game).toMatchObject({ status: 'timeout', winner: color });
      expect(t.frames).toMatchObject([{ t: 'end', v: 3, d: { status: 'timeout', winner: color } }]);
    }
  });

  test('draw: a draw', () => {
    const game = opened();
    const t = ok(game, forceEnd(game, BLACK.id, 'draw', true, T0 + 5_000));
    expect(t.game).toMatchObject({ status: 'draw', winner: null });
    expect(t.frames).toMatchObject([{ t: 'end', v: 3, d: { status: 'draw', winner: null } }]);
  });

  test('refused to strangers and on finished games', () => {
    refused(forceEnd(opened(), 'carol', 'win', true, T0), 'not_your_game');
    const over = ok(opened(), resign(opened(), WHITE.id, T0)).game;
    refused(forceEnd(over, BLACK.id, 'win', true, T0), 'game_over');
  });
});

describe('versions', () => {
  test('a long mix of transitions: contiguous versions from the game’s own, the game at the last', () => {
    const start = newGame({ v: 41 });
    let game = start;
    const frames: GameEvent['frame'][] = [];
    let now = T0;
    const step = (f: (g: Game, now: number) => Transition) => {
      now += 1_000;
      const t = ok(game, f(game, now));
      game = t.game;
      frames.push(...t.frames);
    };
    step((g, n) => move(g, WHITE.id, 'e2e4', n));
    step((g, n) => move(g, BLACK.id, 'e7e5', n));
    step((g, n) => drawYes(g, BLACK.id, n));
    step((g, n) => move(g, WHITE.id, 'g1f3', n)); // move + drawOffer null
    step((g, n) => takebackYes(g, WHITE.id, n));
    step((g, n) => move(g, BLACK.id, 'b8c6', n)); // move + takebackOffers
    step((g, n) => moretime(g, BLACK.id, n));
    step((g, n) => takebackYes(g, BLACK.id, n));
    step((g, n) => takebackYes(g, WHITE.id, n)); // reload
    step((g, n) => move(g, BLACK.id, 'g8f6', n));
    step((g, n) => resign(g, WHITE.id, n));
    step((g) => rematchYes(g, WHITE.id));
    step((g) => rematchNo(g, BLACK.id));
    step((g) => rematchStarted(g, 'XyZw9876'));

    expect(frames.map((f) => f.t)).toEqual([
      'move',
      'move',
      'drawOffer',
      'move',
      'drawOffer',
      'takebackOffers',
      'move',
      'takebackOffers',
      'clock',
      'takebackOffers',
      'reload',
      'move',
      'end',
      'rematchOffer',
      'rematchOffer',
      'redirect',
    ]);
    expect(frames.map((f) => f.v)).toEqual(frames.map((_, i) => 42 + i));
    expect(game.v).toBe(41 + frames.length);
    const reload = frames.find((f) => f.t === 'reload')!;
    expect((reload.d as { v: number }).v).toBe(reload.v);
  });

  test('refusals and unchanged games publish nothing', () => {
    const game = newGame({ v: 9 });
    expect(move(game, BLACK.id, 'e7e5', T0).ok).toBe(false);
    expect(ok(game, tick(game, T0))).toMatchObject({ game: { v: 9 }, events: [] });
  });
});

describe('lag compensation', () => {
  // both first moves are free; white's clock runs from T0 + 1000
  const opened = () => playAll(newGame(), ['e2e4', 'e7e5']).game;

  test.each([
    [0, 59_000],
    [200, 59_200],
    [450, 59_450],
    [1_000, 59_450], // the initial quota is 450 ms
  ])('white thinks 3 s and reports %i ms of lag: %i ms left after the increment', (lag, left) => {
    const game = opened();
    const t = ok(game, move(game, WHITE.id, 'g1f3', T0 + 4_000, undefined, lag));
    expect(t.game.clock.remaining.white).toBe(left);
    expect(t.game.clockHistory.at(-1)).toBe(left);
    expect(t.frames[0]).toMatchObject({ d: { clock: { white: left / 1000, black: 60 } } });
  });

  test('never more than the time spent', () => {
    const game = opened();
    const t = ok(game, move(game, WHITE.id, 'g1f3', T0 + 1_100, undefined, 400));
    expect(t.game.clock.remaining.white).toBe(62_000);
  });

  test('the quota is spent, then earned back move by move', () => {
    let game = opened();
    game = ok(game, move(game, WHITE.id, 'g1f3', T0 + 4_000, undefined, 1_000)).game; // refund 450, quota 550
    game = ok(game, move(game, BLACK.id, 'b8c6', T0 + 5_000)).game;
    game = ok(game, move(game, WHITE.id, 'f1b5', T0 + 8_000, undefined, 1_000)).game; // refund 550
    expect(game.clock.remaining.white).toBe(59_450 - 3_000 + 550 + 2_000);
  });

  test('compensation can save a move that would otherwise flag', () => {
    const game = opened();
    const late = T0 + 1_000 + 60_200;
    expect(ok(game, move(game, WHITE.id, 'g1f3', late)).game.status).toBe('outoftime');
    const saved = ok(game, move(game, WHITE.id, 'g1f3', late, undefined, 300));
    expect(saved.game.status).toBe('started');
    expect(saved.game.clock.remaining.white).toBe(100 + 2_000);
  });
});
