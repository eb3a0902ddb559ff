import { isVersionedRoom, ROLES, roleTopic, sees, skipFrame } from '../../ws-server/audience.js';

describe('audience', () => {
  test('rooms with versioned events: games, the lobby and tournaments; not users, the site or studies', () => {
    expect(isVersionedRoom('game:abcd1234')).toBe(true);
    expect(isVersionedRoom('lobby')).toBe(true);
    expect(isVersionedRoom('tournament:t1')).toBe(true);
    expect(isVersionedRoom('user:alice')).toBe(false);
    expect(isVersionedRoom('site')).toBe(false);
    expect(isVersionedRoom('study:s1')).toBe(false);
  });

  test('each role of a room has a topic of its own', () => {
    const topics = ROLES.map((role) => roleTopic('game:abcd1234', role));
    expect(topics).toEqual(['game:abcd1234/white', 'game:abcd1234/black', 'game:abcd1234/spectators']);
    expect(roleTopic('game:other', 'white')).not.toBe(topics[0]);
  });

  test('who sees an event in full', () => {
    for (const role of ROLES) expect(sees(role, undefined)).toBe(true);
    expect(ROLES.filter((role) => sees(role, 'players'))).toEqual(['white', 'black']);
    expect(ROLES.filter((role) => sees(role, 'white'))).toEqual(['white']);
    expect(ROLES.filter((role) => sees(role, 'spectators'))).toEqual(['spectators']);
  });

  test('the others get its version alone', () => {
    expect(skipFrame(12)).toBe('{"v":12}');
  });
});
