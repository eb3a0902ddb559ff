import { createOnlineHere, type OnlineReport } from '../../ws-server/online-here.js';

describe('relay: who is online here', () => {
  const setup = () => {
    const reports: OnlineReport[] = [];
    return { users: createOnlineHere((d) => reports.push(d)), reports };
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
