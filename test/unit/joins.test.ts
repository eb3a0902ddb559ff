import { createJoins } from '../../ws-server/joins.js';

describe('joins awaiting lila-core', () => {
  test("lila-core's answer settles the join", async () => {
    const joins = createJoins(1000);
    const joined = joins.join('s1', 's1', () => Promise.resolve(true));
    expect(joins.waiting()).toEqual(['s1']);
    joins.answer('s1', { status: 200, color: 'white', v: 3 });
    expect(joins.waiting()).toEqual([]);
    await expect(joined).resolves.toEqual({ status: 200, color: 'white', v: 3 });
  });

  test('a request nobody heard, or one that failed, is a 504 at once', async () => {
    const joins = createJoins(60_000);
    await expect(joins.join('s1', 's1', () => Promise.resolve(false))).resolves.toEqual({ status: 504 });
    await expect(joins.join('s2', 's2', () => Promise.reject(new Error('closed')))).resolves.toEqual({ status: 504 });
  });

  test('no answer in time is a 504; a late answer is dropped', async () => {
    const joins = createJoins(10);
    await expect(joins.join('s1', 's1', () => Promise.resolve(true))).resolves.toEqual({ status: 504 });
    expect(() => joins.answer('s1', { status: 200 })).not.toThrow();
  });

  test('frames for a socket admitted and not yet open are held until its upgrade releases them, in order', async () => {
    const joins = createJoins(1000);
    const joined = joins.join('s1', 's1', () => Promise.resolve(true));
    const refused = joins.join('s2', 's2', () => Promise.resolve(true));
    expect(joins.hold('s1', Buffer.from('early'))).toBe(false);
    joins.answer('s1', { status: 200, v: 1 });
    joins.answer('s2', { status: 404 });
    expect(joins.hold('s1', Buffer.from('pools'))).toBe(true);
    expect(joins.hold('s1', Buffer.from('n'))).toBe(true);
    expect(joins.hold('s2', Buffer.from('x'))).toBe(false);
    await joined;
    await refused;
    expect(joins.release('s1').map(String)).toEqual(['pools', 'n']);
    // Released once: later frames go to the open socket, not here.
    expect(joins.hold('s1', Buffer.from('later'))).toBe(false);
    expect(joins.release('s1')).toEqual([]);
  });
});
