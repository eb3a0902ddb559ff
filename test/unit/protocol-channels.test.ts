import {
  CORE_CLOCK,
  gameIdOf,
  isGameRoom,
  isRoomName,
  isTournamentRoom,
  parseRoom,
  RELAYS,
  relayChannel,
  Room,
  SITE_IN,
} from '../../protocol/channels.js';

/** Redis channel names: relays and lila-core must spell them alike, and read a room's name alike. */
test('the fixed channels', () => {
  expect([SITE_IN, CORE_CLOCK, RELAYS]).toEqual(['site-in', 'core-clock', 'relays']);
  expect(relayChannel('r-1')).toBe('relay:r-1');
});

test('room names', () => {
  expect([Room.game('g1'), Room.user('u1'), Room.tournament('t1'), Room.study('s1'), Room.lobby, Room.site]).toEqual([
    'game:g1',
    'user:u1',
    'tournament:t1',
    'study:s1',
    'lobby',
    'site',
  ]);
});

describe('isRoomName', () => {
  test.each(['game:abcd1234', 'user:a', 'tournament:T_1-x', 'study:s', `game:${'x'.repeat(32)}`, 'lobby', 'site'])(
    '%s is a room',
    (name) => {
      expect(isRoomName(name)).toBe(true);
    },
  );

  test.each([
    'game:',
    `game:${'x'.repeat(33)}`,
    'game:a b',
    'game:a.b',
    'games:abc',
    'relay:abc',
    'Lobby',
    'lobby2',
    'xlobby',
    'site:1',
    'game:abc\n',
    ' game:abc',
    '',
  ])('%j is not', (name) => {
    expect(isRoomName(name)).toBe(false);
  });
});

describe('parseRoom', () => {
  test.each([
    ['game:abcd1234', { kind: 'game', id: 'abcd1234' }],
    ['user:alice', { kind: 'user', id: 'alice' }],
    ['tournament:t1', { kind: 'tournament', id: 't1' }],
    ['study:s_1', { kind: 'study', id: 's_1' }],
    ['lobby', { kind: 'lobby' }],
    ['site', { kind: 'site' }],
  ])('%s', (name, room) => {
    expect(parseRoom(name)).toEqual(room);
  });

  test.each(['game:', 'relay:r1', 'lobby:1', 'nowhere'])('%s is no room', (name) => {
    expect(parseRoom(name)).toBeUndefined();
  });
});

test("a game room's id, and nothing for other rooms", () => {
  expect(gameIdOf('game:abcd1234')).toBe('abcd1234');
  expect(gameIdOf('user:abcd1234')).toBeUndefined();
  expect(gameIdOf('lobby')).toBeUndefined();
  expect(gameIdOf('game:')).toBeUndefined();
});

test('the prefix tests', () => {
  expect(isGameRoom('game:abc')).toBe(true);
  expect(isGameRoom('user:game:')).toBe(false);
  expect(isGameRoom('lobby')).toBe(false);
  expect(isTournamentRoom('tournament:t1')).toBe(true);
  expect(isTournamentRoom('game:tournament:')).toBe(false);
  expect(isTournamentRoom('game:t1')).toBe(false);
});
