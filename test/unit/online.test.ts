import { createOnline, RELAY_SILENCE_MS } from '../../lila-core/online.js';
import { createUserPresence, type OnlineReport } from '../../ws-server/presence.js';

describe('lila-core: online users across relays', () => {
  const setup = () => {
    let wall = 1_000_000;
    const asked: string[] = [];
    const online = createOnline(
      (relay) => asked.push(relay),
      () => wall,
    );
    return { online, asked, pass: (ms: number) => (wall += ms) };
  };

  test('a user is online while any relay reports them', () => {
    const { online } = setup();
    online.reported('r1', 'b1', { add: ['alice', 'bob'], remove: [] });
    online.reported('r2', 'b2', { add: ['alice'], remove: [] });
    expect(online.count).toBe(2);
    online.reported('r1', 'b1', { add: [], remove: ['alice'] });
    expect(online.isOnline('alice')).toBe(true);
    online.reported('r2', 'b2', { add: [], remove: ['alice'] });
    expect(online.isOnline('alice')).toBe(false);
    expect(online.count).toBe(1);
  });

  test('a relay it has not synced with is asked for its list; a full list replaces what it said', () => {
    const { online, asked } = setup();
    online.reported('r1', 'b1', { add: ['alice', 'bob'], remove: [] });
    online.ticked('r1', 'b1');
    expect(asked).toEqual(['r1']);
    online.reported('r1', 'b1', { add: ['bob', 'carol'], remove: [], all: true });
    online.ticked('r1', 'b1');
    expect(asked).toEqual(['r1']);
    expect(['alice', 'bob', 'carol'].map(online.isOnline)).toEqual([false, true, true]);
  });

  test('a restarted relay (new boot) starts afresh', () => {
    const { online } = setup();
    online.reported('r1', 'b1', { add: ['alice'], remove: [] });
    online.reported('r1', 'b2', { add: ['bob'], remove: [] });
    expect([online.isOnline('alice'), online.isOnline('bob')]).toEqual([false, true]);
  });

  test('a relay silent for the timeout is forgotten; one that ticks is kept', () => {
    const { online, pass } = setup();
    online.reported('r1', 'b1', { add: ['alice'], remove: [] });
    online.reported('r2', 'b2', { add: ['bob'], remove: [] });
    pass(RELAY_SILENCE_MS - 1);
    online.ticked('r2', 'b2');
    expect(online.sweep()).toBe(false);
    pass(1);
    expect(online.sweep()).toBe(true);
    expect([online.isOnline('alice'), online.isOnline('bob')]).toEqual([false, true]);
  });
});

describe('relay: who is online here', () => {
  const setup = () => {
    const reports: OnlineReport[] = [];
    return { users: createUserPresence((d) => reports.push(d)), reports };
  };

  test('the first socket is reported at once, further ones not', () => {
    const { users, reports } = setup();
    users.opened('alice');
    users.opened('alice');
    expect(reports).toEqual([{ add: ['alice'], remove: [] }]);
  });

  test('the last socket closing is reported with the next batch', () => {
    const { users, reports } = setup();
    users.opened('alice');
    users.opened('alice');
    users.opened('bob');
    users.closed('alice');
    users.flush();
    expect(reports).toHaveLength(2);
    users.closed('alice');
    users.closed('bob');
    users.flush();
    expect(reports.at(-1)).toEqual({ add: [], remove: ['alice', 'bob'] });
    users.flush();
    expect(reports).toHaveLength(3);
  });

  test('a reconnect before the batch says nothing at all', () => {
    const { users, reports } = setup();
    users.opened('alice');
    users.closed('alice');
    users.opened('alice');
    users.flush();
    expect(reports).toEqual([{ add: ['alice'], remove: [] }]);
  });

  test('all: the complete list, for a lila-core that asks', () => {
    const { users, reports } = setup();
    users.opened('alice');
    users.opened('bob');
    users.all();
    expect(reports.at(-1)).toEqual({ add: ['alice', 'bob'], remove: [], all: true });
  });
});
