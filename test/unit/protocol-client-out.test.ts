import { ClientOut, encodeFrame, ErrorCode, errorFrame } from '../../protocol/client-out.js';
import type { ChallengeJson, GameJson } from '../../protocol/game.js';

/**
 * ClientOut as browsers decode it (client/frames.ts): every frame lila-core and the relays send,
 * taken as sent, and what is refused; and the one encoder.
 */
const clock = { limit: 180, increment: 2 };
const clocks = { white: 180, black: 179.5 };
const alice = { id: 'alice', name: 'Alice' };
const bob = { id: 'bob', name: 'Bob' };
const game: GameJson = {
  id: 'abcd1234',
  players: { white: alice, black: bob },
  clock,
  clocks,
  moves: ['e2e4'],
  sans: ['e4'],
  fen: 'rnbqkbnr/pppppppp/8/8/4P3/8/PPPP1PPP/RNBQKBNR b KQkq - 0 1',
  status: 'started',
  winner: null,
  v: 3,
};
const challenge: ChallengeJson = {
  id: 'c1',
  status: 'created',
  challenger: alice,
  destUser: bob,
  clock,
  color: 'random',
  rated: false,
};
const seek = { id: 's1', user: alice, clock, color: 'white', rated: true };

const frames: [string, unknown][] = [
  ['pong', 0],
  ['a skipped version', { v: 4 }],
  ['ack', { t: 'ack', d: 3 }],
  ['error', { t: 'error', d: { code: 'illegal_move', message: 'e2e5 is not legal' } }],
  ['state', { t: 'state', v: 3, d: game }],
  ['move', { t: 'move', v: 4, d: { ply: 1, uci: 'e2e4', san: 'e4', fen: game.fen, clock: clocks } }],
  [
    'end',
    { t: 'end', v: 5, d: { winner: 'white', status: 'mate', clock: clocks, ratingDiff: { white: 8, black: -8 } } },
  ],
  ['end, drawn, casual', { t: 'end', v: 5, d: { winner: null, status: 'draw', clock: clocks } }],
  ['clock, versioned', { t: 'clock', v: 6, d: clocks }],
  ['clock, to one socket', { t: 'clock', d: clocks }],
  ['drawOffer', { t: 'drawOffer', v: 7, d: { by: 'black' } }],
  ['drawOffer withdrawn', { t: 'drawOffer', v: 7, d: { by: null } }],
  ['takebackOffers', { t: 'takebackOffers', v: 8, d: { white: true, black: false } }],
  ['rematchOffer', { t: 'rematchOffer', v: 9, d: { by: 'white' } }],
  ['reload of a game', { t: 'reload', v: 10, d: game }],
  ['crowd', { t: 'crowd', d: { white: true, black: false, watchers: 2 } }],
  ['goneIn', { t: 'goneIn', v: 11, d: 10 }],
  ['gone', { t: 'gone', v: 12, d: true }],
  ['message', { t: 'message', v: 13, d: { u: 'alice', text: 'gg' } }],
  ['message, anonymous', { t: 'message', v: 13, d: { u: null, text: 'hi' } }],
  ['berserk', { t: 'berserk', v: 14, d: { color: 'black', clock: clocks } }],
  ['reload of a tournament', { t: 'reload', v: 15 }],
  ['seeks', { t: 'seeks', v: 1, d: [seek] }],
  ['seekAdd', { t: 'seekAdd', v: 2, d: seek }],
  ['seekRemove', { t: 'seekRemove', v: 3, d: { id: 's1' } }],
  ['pools', { t: 'pools', d: { '3+0': 2 } }],
  ['n', { t: 'n', d: { users: 5, games: 1 } }],
  ['announce', { t: 'announce', d: { msg: 'restart at noon' } }],
  ['resync', { t: 'resync' }],
  ['serverRestart', { t: 'serverRestart' }],
  ['challenge', { t: 'challenge', d: challenge }],
  ['challengeDeclined', { t: 'challengeDeclined', d: { ...challenge, status: 'declined' } }],
  ['challengeCanceled', { t: 'challengeCanceled', d: { ...challenge, status: 'canceled' } }],
  ['redirect', { t: 'redirect', d: { id: 'abcd1234' } }],
  ['redirect to a rematch, versioned', { t: 'redirect', v: 16, d: { id: 'abcd1234' } }],
];

test.each(frames)('%s is taken as sent, and encodes to its JSON', (_, frame) => {
  expect(ClientOut.parse(frame)).toEqual(frame);
  expect(encodeFrame(frame as ClientOut)).toBe(JSON.stringify(frame));
});

test.each([
  ['another number than the pong', 1],
  ['a skip with anything else', { v: 4, d: 1 }],
  ['a fractional skip', { v: 4.5 }],
  ['an ack of a fractional id', { t: 'ack', d: 1.5 }],
  ['an unknown error code', { t: 'error', d: { code: 'oops', message: '' } }],
  ['an error without message', { t: 'error', d: { code: 'bad_json' } }],
  ['a move at ply 0', { t: 'move', v: 4, d: { ply: 0, uci: 'e2e4', san: 'e4', fen: '', clock: clocks } }],
  ['a move without clocks', { t: 'move', v: 4, d: { ply: 1, uci: 'e2e4', san: 'e4', fen: '' } }],
  ['a move without its version', { t: 'move', d: { ply: 1, uci: 'e2e4', san: 'e4', fen: '', clock: clocks } }],
  [
    'an end with a fractional rating change',
    { t: 'end', v: 5, d: { winner: null, status: 'draw', clock: clocks, ratingDiff: { white: 0.5, black: 0 } } },
  ],
  ['an end of an unknown status', { t: 'end', v: 5, d: { winner: null, status: 'peace', clock: clocks } }],
  ['a crowd without watchers', { t: 'crowd', d: { white: true, black: false } }],
  ['a tournament reload with data', { t: 'reload', v: 15, d: {} }],
  ['a reload without version', { t: 'reload' }],
  ['a seek without its id', { t: 'seekAdd', v: 2, d: { ...seek, id: undefined } }],
  ['a pool count that is not a number', { t: 'pools', d: { '3+0': 'two' } }],
  ['a redirect without id', { t: 'redirect', d: {} }],
  ['an unknown type', { t: 'hello' }],
])('refused: %s', (_, frame) => {
  expect(ClientOut.safeParse(frame).success).toBe(false);
});

test('the error codes', () => {
  expect(ErrorCode.options).toEqual([
    'bad_json',
    'bad_message',
    'unknown_type',
    'not_allowed_here',
    'illegal_move',
    'not_your_turn',
    'not_your_game',
    'game_over',
    'not_allowed_now',
    'unavailable',
    'rate_limited',
  ]);
});

test('an error frame, as relay and core send it', () => {
  expect(errorFrame('not_your_turn', 'wait')).toBe('{"t":"error","d":{"code":"not_your_turn","message":"wait"}}');
});
