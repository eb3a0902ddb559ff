import { CoreIn, encodeCoreIn, SOCKETS_PAGE } from '../../protocol/core-in.js';

/**
 * CoreIn as lila-core decodes `site-in` (lila-core/bus.ts): each relay message's required fields
 * and bounds, and the first issue's message, which lila-core logs when it refuses one.
 */
const relay = { relay: 'r1', boot: 'b1' };
const socket = { ...relay, seq: 1, sid: 's1', user: 'alice', room: 'game:abcd1234' };

const accepts = (message: unknown) => CoreIn.safeParse(message).success;
/** The message lila-core logs for a refused message. */
const refusal = (message: unknown) => {
  const result = CoreIn.safeParse(message);
  if (result.success) throw new Error(`accepted: ${JSON.stringify(message)}`);
  return result.error.issues[0]?.message;
};

describe('every relay message names its relay and boot', () => {
  test.each([
    ['tick', { t: 'tick', d: { last: 0 } }],
    ['versions', { t: 'versions', d: { rooms: {} } }],
    ['revocations', { t: 'revocations' }],
    ['lost', { t: 'lost', d: { from: 1, to: 2 } }],
    ['online', { t: 'online', seq: 1, d: { add: [], remove: [] } }],
    ['sockets', { t: 'sockets', seq: 1, d: { sockets: [] } }],
    ['pending', { t: 'pending', seq: 1, d: { users: [] } }],
    ['resign', { t: 'resign', seq: 1, sid: 's1', user: null, room: 'lobby' }],
  ])('%s', (_, message) => {
    expect(CoreIn.parse({ ...relay, ...message })).toEqual({ ...relay, ...message });
    expect(accepts({ ...relay, ...message, relay: '' })).toBe(false);
    expect(accepts({ ...relay, ...message, boot: '' })).toBe(false);
    expect(accepts({ ...message, boot: 'b1' })).toBe(false);
    expect(accepts({ ...message, relay: 'r1' })).toBe(false);
  });
});

describe('tick', () => {
  test('the last number sent, from 0', () => {
    expect(accepts({ ...relay, t: 'tick', d: { last: 7 } })).toBe(true);
    expect(accepts({ ...relay, t: 'tick', d: { last: -1 } })).toBe(false);
    expect(accepts({ ...relay, t: 'tick', d: { last: 1.5 } })).toBe(false);
    expect(accepts({ ...relay, t: 'tick', d: {} })).toBe(false);
    expect(accepts({ ...relay, t: 'tick' })).toBe(false);
  });
});

describe('versions', () => {
  test('the latest version of each room, from 0', () => {
    const rooms = { 'game:abcd1234': 0, lobby: 12, 'tournament:t1': 3 };
    expect(CoreIn.parse({ ...relay, t: 'versions', d: { rooms } })).toEqual({ ...relay, t: 'versions', d: { rooms } });
    expect(accepts({ ...relay, t: 'versions', d: { rooms: { lobby: -1 } } })).toBe(false);
    expect(accepts({ ...relay, t: 'versions', d: { rooms: { lobby: 0.5 } } })).toBe(false);
    expect(accepts({ ...relay, t: 'versions', d: {} })).toBe(false);
  });

  test('a key that is not a room name is refused, said so', () => {
    expect(refusal({ ...relay, t: 'versions', d: { rooms: { lobby: 1, 'game:': 2 } } })).toBe('room names');
  });
});

describe('lost', () => {
  test('from and to are message numbers, from 1', () => {
    expect(accepts({ ...relay, t: 'lost', d: { from: 1, to: 1 } })).toBe(true);
    expect(accepts({ ...relay, t: 'lost', d: { from: 0, to: 4 } })).toBe(false);
    expect(accepts({ ...relay, t: 'lost', d: { from: 1, to: 0 } })).toBe(false);
    expect(accepts({ ...relay, t: 'lost', d: { from: 1.5, to: 4 } })).toBe(false);
    expect(accepts({ ...relay, t: 'lost', d: { from: 1, to: 4.5 } })).toBe(false);
    expect(accepts({ ...relay, t: 'lost', d: { to: 4 } })).toBe(false);
    expect(accepts({ ...relay, t: 'lost', d: { from: 1 } })).toBe(false);
  });
});

describe('numbered relay messages', () => {
  test.each([
    ['online', { add: ['a'], remove: ['b'], all: true }],
    ['sockets', { sockets: [], first: true, last: true }],
    ['pending', { users: ['a'] }],
  ])('%s has a seq from 1', (t, d) => {
    expect(CoreIn.parse({ ...relay, t, seq: 1, d })).toEqual({ ...relay, t, seq: 1, d });
    expect(accepts({ ...relay, t, seq: 0, d })).toBe(false);
    expect(accepts({ ...relay, t, seq: 1.5, d })).toBe(false);
    expect(accepts({ ...relay, t, d })).toBe(false);
  });

  test('online: users added and removed, `all` a flag', () => {
    const online = (d: unknown) => accepts({ ...relay, t: 'online', seq: 1, d });
    expect(online({ add: [], remove: [], all: false })).toBe(true);
    expect(online({ add: [] })).toBe(false);
    expect(online({ remove: [] })).toBe(false);
    expect(online({ add: [1], remove: [] })).toBe(false);
    expect(online({ add: [], remove: [null] })).toBe(false);
    expect(online({ add: [], remove: [], all: 'yes' })).toBe(false);
  });

  test('sockets: each socket with its sid, user, room and role; `first` and `last` only as true', () => {
    const one = { sid: 's1', user: null, room: 'lobby', role: 'lobby' };
    const sockets = (d: unknown) => accepts({ ...relay, t: 'sockets', seq: 1, d });
    for (const role of ['play', 'watch', 'lobby', 'tournament'])
      expect(sockets({ sockets: [{ ...one, role, user: 'alice' }] })).toBe(true);
    expect(sockets({ sockets: [{ ...one, role: 'site' }] })).toBe(false);
    expect(sockets({ sockets: [{ ...one, sid: '' }] })).toBe(false);
    expect(sockets({ sockets: [{ ...one, user: undefined }] })).toBe(false);
    expect(sockets({ sockets: [{ ...one, role: undefined }] })).toBe(false);
    expect(sockets({ sockets: [one], first: false })).toBe(false);
    expect(sockets({ sockets: [one], last: false })).toBe(false);
    expect(sockets({})).toBe(false);
    expect(refusal({ ...relay, t: 'sockets', seq: 1, d: { sockets: [{ ...one, room: 'hall' }] } })).toBe('a room name');
  });

  test(`pending: up to ${SOCKETS_PAGE} users, a socket and its room optional`, () => {
    const pending = (d: unknown) => accepts({ ...relay, t: 'pending', seq: 1, d });
    const users = (n: number) => Array.from({ length: n }, (_, i) => `u${i}`);
    expect(SOCKETS_PAGE).toBe(500);
    expect(pending({ users: users(500), sid: 's', room: 'user:alice' })).toBe(true);
    expect(pending({ users: users(501) })).toBe(false);
    expect(pending({ users: [''] })).toBe(false);
    expect(pending({ users: [], sid: '' })).toBe(false);
    expect(pending({})).toBe(false);
    expect(refusal({ ...relay, t: 'pending', seq: 1, d: { users: [], room: 'nowhere' } })).toBe('a room name');
  });
});

describe('socket actions, stamped by their relay', () => {
  test('a join, in each role a relay admits', () => {
    for (const role of ['play', 'watch', 'lobby', 'tournament'])
      expect(CoreIn.parse({ ...socket, t: 'join', d: { role } })).toEqual({ ...socket, t: 'join', d: { role } });
    expect(accepts({ ...socket, t: 'join', d: { role: 'site' } })).toBe(false);
    expect(accepts({ ...socket, t: 'join', d: {} })).toBe(false);
  });

  test('a leave', () => {
    expect(CoreIn.parse({ ...socket, t: 'leave' })).toEqual({ ...socket, t: 'leave' });
  });

  test('the stamp: seq from 1, a sid, a user or null, the receive time from 0', () => {
    const resign = { ...socket, t: 'resign' };
    expect(accepts({ ...resign, user: null, at: 0 })).toBe(true);
    expect(accepts({ ...resign, seq: 0 })).toBe(false);
    expect(accepts({ ...resign, sid: '' })).toBe(false);
    expect(accepts({ ...resign, user: undefined })).toBe(false);
    expect(accepts({ ...resign, at: -1 })).toBe(false);
    expect(accepts({ ...resign, at: 1.5 })).toBe(false);
  });

  test('a room that is not a room name is refused, said so', () => {
    expect(refusal({ ...socket, t: 'resign', room: 'game:' })).toBe('a room name');
    expect(refusal({ ...socket, t: 'join', room: 'hall', d: { role: 'watch' } })).toBe('a room name');
  });
});

test('a relay message becomes its JSON text', () => {
  const tick = { ...relay, t: 'tick', d: { last: 3 } } as const;
  expect(encodeCoreIn(tick)).toBe('{"relay":"r1","boot":"b1","t":"tick","d":{"last":3}}');
});
