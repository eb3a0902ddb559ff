import { z } from 'zod';
import { ClientAction } from '../../protocol/client-in.js';
import { CoreIn, Join, Leave, SocketEnvelope } from '../../protocol/core-in.js';

/**
 * CoreIn is parsed by `t` (one object per kind of socket action, the relay's fields included):
 * it must take and refuse exactly what the intersection it replaced did, with the same data.
 */
const stamped = {
  relay: 'r1',
  boot: 'b1',
  seq: 7,
  sid: 's1',
  user: 'u1',
  room: 'game:abcd1234',
  at: 1_700_000_000_000,
};
const intersection = z
  .object({
    relay: z.string().min(1),
    boot: z.string().min(1),
    seq: z.number().int().positive(),
    sid: z.string().min(1),
    user: z.string().nullable(),
    room: z.string().regex(/^(?:(game|user|tournament|study):([A-Za-z0-9_-]{1,32})|lobby|site)$/),
    at: z.number().int().nonnegative().optional(),
  })
  .and(z.discriminatedUnion('t', [...ClientAction.options, Join, Leave]));

const cases: [string, unknown][] = [
  ['a move', { ...stamped, t: 'move', d: { u: 'e2e4', a: 1, l: 20 } }],
  ['a move with an unknown field', { ...stamped, t: 'move', d: { u: 'e2e4' }, extra: 1 }],
  ['a chat line, trimmed', { ...stamped, t: 'talk', d: '  hello  ' }],
  ['a seek, defaults filled', { ...stamped, room: 'lobby', t: 'seek', d: { clock: { limit: 180, increment: 2 } } }],
  ['a join', { ...stamped, t: 'join', d: { role: 'watch' }, at: undefined }],
  ['a leave of an anonymous socket', { ...stamped, user: null, t: 'leave' }],
  ['a resign', { ...stamped, t: 'resign' }],
  ['a move with a bad uci', { ...stamped, t: 'move', d: { u: 'e2e9' } }],
  ['a bad room', { ...stamped, room: 'game:', t: 'resign' }],
  ['no sid', { ...stamped, sid: undefined, t: 'resign' }],
  ['a seq of 0', { ...stamped, seq: 0, t: 'resign' }],
  ['an unknown type', { ...stamped, t: 'fly' }],
  ['a move without d', { ...stamped, t: 'move' }],
];

describe('CoreIn socket envelopes', () => {
  test.each(cases)('%s: as the intersection parsed it', (_, message) => {
    const before = intersection.safeParse(message);
    const now = CoreIn.safeParse(message);
    expect(now.success).toBe(before.success);
    if (before.success) expect(now.data).toEqual(before.data);
    expect(SocketEnvelope.safeParse(message).success).toBe(before.success);
  });

  test('relay messages still parse by their type', () => {
    expect(CoreIn.safeParse({ relay: 'r1', boot: 'b1', t: 'tick', d: { last: 3 } }).success).toBe(true);
    expect(CoreIn.safeParse({ relay: 'r1', boot: 'b1', t: 'tick', d: {} }).success).toBe(false);
    expect(CoreIn.safeParse({ relay: 'r1', boot: 'b1', t: 'lost', d: { from: 1, to: 4 } }).success).toBe(true);
  });
});
