import { createOnlineUsers } from '../../lila-core/online-users.js';
import { createRelayLiveness, RELAY_SILENCE_MS } from '../../lila-core/relay-liveness.js';

describe('lila-core: online users across relays', () => {
  const online = () => {
    let wall = 1_000_000;
    const liveness = createRelayLiveness(() => wall);
    const asked: string[] = [];
    const users = createOnlineUsers(liveness, (relay) => asked.push(relay));
    /** A report from a relay, as `site-in` hands it over: the relay is heard first. */
    const reported = (relay: string, boot: string, d: { add: string[]; remove: string[]; all?: boolean }) => {
      liveness.heard(relay, boot);
      users.reported(relay, d);
    };
    const ticked = (relay: string, boot: string) => {
      liveness.heard(relay, boot);
      users.ticked(relay);
    };
    return { liveness, users, asked, reported, ticked, pass: (ms: number) => (wall += ms) };
  };

  test('a user is online while any relay reports them', () => {
    const { users, reported } = online();
    reported('r1', 'b1', { add: ['alice', 'bob'], remove: [] });
    reported('r2', 'b2', { add: ['alice'], remove: [] });
    expect(users.count).toBe(2);
    reported('r1', 'b1', { add: [], remove: ['alice'] });
    expect(users.isOnline('alice')).toBe(true);
    reported('r2', 'b2', { add: [], remove: ['alice'] });
    expect(users.isOnline('alice')).toBe(false);
    expect(users.count).toBe(1);
  });

  test('a relay it has not synced with is asked for its list; a full list replaces what it said', () => {
    const { users, asked, reported, ticked } = online();
    reported('r1', 'b1', { add: ['alice', 'bob'], remove: [] });
    ticked('r1', 'b1');
    expect(asked).toEqual(['r1']);
    reported('r1', 'b1', { add: ['bob', 'carol'], remove: [], all: true });
    ticked('r1', 'b1');
    expect(asked).toEqual(['r1']);
    expect(['alice', 'bob', 'carol'].map(users.isOnline)).toEqual([false, true, true]);
  });

  test('a restarted relay (new boot) starts afresh, and is asked for its list', () => {
    const { users, asked, reported, ticked } = online();
    reported('r1', 'b1', { add: ['alice'], remove: [], all: true });
    reported('r1', 'b2', { add: ['bob'], remove: [] });
    expect([users.isOnline('alice'), users.isOnline('bob')]).toEqual([false, true]);
    ticked('r1', 'b2');
    expect(asked).toEqual(['r1']);
  });

  test('a relay silent for the timeout is forgotten; one that ticks is kept', () => {
    const { users, liveness, reported, ticked, pass } = online();
    reported('r1', 'b1', { add: ['alice'], remove: [] });
    reported('r2', 'b2', { add: ['bob'], remove: [] });
    pass(RELAY_SILENCE_MS - 1);
    ticked('r2', 'b2');
    liveness.sweep();
    expect([users.isOnline('alice'), users.isOnline('bob')]).toEqual([true, true]);
    pass(1);
    liveness.sweep();
    expect([users.isOnline('alice'), users.isOnline('bob')]).toEqual([false, true]);
  });
});
