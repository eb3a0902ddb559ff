import { Audience, REVOKED_PAGE } from '../../protocol/core-out.js';
import { decodeCoreOut } from '../../protocol/wire.js';

/**
 * CoreOut headers as a relay decodes them (protocol/wire.ts): each kind's required fields and
 * bounds. A refused header is logged with the decoder's `error`, the first issue's message.
 */
const decode = (header: unknown) => decodeCoreOut(Buffer.from(`${JSON.stringify(header)}\nF`));
const accepted = (header: unknown) => {
  const decoded = decode(header);
  if (!decoded.ok) throw new Error(`${JSON.stringify(header)} refused: ${decoded.error}`);
  return decoded.header;
};
const accepts = (header: unknown) => decode(header).ok;

describe('each kind of header, as sent', () => {
  test.each([
    { t: 'sync' },
    { t: 'probe', at: 1.5 },
    { t: 'room', v: 0, to: 'players', reset: true },
    { t: 'sid', sid: '', a: 0 },
    { t: 'join', sid: 's', status: 200, color: 'black', v: 0 },
    { t: 'resend', boot: 'b', from: 1 },
    { t: 'coreDown' },
    { t: 'coreUp' },
    { t: 'versions', d: { lobby: 0, 'game:abcd1234': 9 } },
    { t: 'replay', room: 'lobby', v: 0, to: 'white' },
    { t: 'again', room: 'user:alice' },
    { t: 'revoked', d: [{ id: 'x', exp: -5 }], last: true },
  ])('%j', (header) => {
    expect(accepted(header)).toEqual(header);
  });
});

test('the audiences of a room event', () => {
  expect(Audience.options).toEqual(['players', 'spectators', 'white', 'black']);
  for (const to of Audience.options) expect(accepted({ t: 'room', to })).toEqual({ t: 'room', to });
  expect(accepts({ t: 'room', to: 'everyone' })).toBe(false);
  expect(accepts({ t: 'room', reset: false })).toBe(false);
});

test.each([
  ['a probe without its time', { t: 'probe' }],
  ['a probe with its time as text', { t: 'probe', at: '1' }],
  ['a socket frame without sid', { t: 'sid' }],
  ['a socket frame answering a negative ack id', { t: 'sid', sid: 's', a: -1 }],
  ['a socket frame answering a fractional ack id', { t: 'sid', sid: 's', a: 0.5 }],
  ['a join reply without sid', { t: 'join', status: 200 }],
  ['a join reply without status', { t: 'join', sid: 's' }],
  ['a join reply as a colour nobody plays', { t: 'join', sid: 's', status: 200, color: 'random' }],
  ['a join reply at a negative version', { t: 'join', sid: 's', status: 200, v: -1 }],
  ['a join reply at a fractional version', { t: 'join', sid: 's', status: 200, v: 0.5 }],
  ['a resend from a fractional number', { t: 'resend', boot: 'b', from: 1.5 }],
  ['versions without rooms', { t: 'versions' }],
  ['a negative room version', { t: 'versions', d: { lobby: -1 } }],
  ['a fractional room version', { t: 'versions', d: { lobby: 1.5 } }],
  ['a replay without room', { t: 'replay', v: 1 }],
  ['a replay without version', { t: 'replay', room: 'lobby' }],
  ['a replay at a negative version', { t: 'replay', room: 'lobby', v: -1 }],
  ['a replay at a fractional version', { t: 'replay', room: 'lobby', v: 0.5 }],
  ['a replay to nobody known', { t: 'replay', room: 'lobby', v: 1, to: 'all' }],
  ['a replay that resets with false', { t: 'replay', room: 'lobby', v: 1, reset: false }],
  ['again without room', { t: 'again' }],
  ['revoked without its list', { t: 'revoked' }],
  ['a revoked session without id', { t: 'revoked', d: [{ exp: 1 }] }],
  ['a revoked session with an empty id', { t: 'revoked', d: [{ id: '', exp: 1 }] }],
  ['a revoked session with an id over 64 characters', { t: 'revoked', d: [{ id: 'x'.repeat(65), exp: 1 }] }],
  ['a revoked session without expiry', { t: 'revoked', d: [{ id: 'x' }] }],
  ['a revoked session with a fractional expiry', { t: 'revoked', d: [{ id: 'x', exp: 1.5 }] }],
  ['a last page said false', { t: 'revoked', d: [], last: false }],
])('refused: %s', (_, header) => {
  expect(accepts(header)).toBe(false);
});

test('a join reply: its status, and the side the socket plays if any', () => {
  for (const status of [200, 403, 404])
    expect(accepted({ t: 'join', sid: 's', status })).toEqual({ t: 'join', sid: 's', status });
  for (const color of ['white', 'black'])
    expect(accepted({ t: 'join', sid: 's', status: 200, color, v: 1 })).toEqual({
      t: 'join',
      sid: 's',
      status: 200,
      color,
      v: 1,
    });
  expect(accepts({ t: 'join', sid: 's', status: 201 })).toBe(false);
});

test(`revoked sessions come in pages of at most ${REVOKED_PAGE}, ids of up to 64 characters`, () => {
  expect(REVOKED_PAGE).toBe(1000);
  const page = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `${i}`.padStart(64, 'x'), exp: i }));
  expect(accepts({ t: 'revoked', d: page(1000) })).toBe(true);
  expect(accepts({ t: 'revoked', d: page(1001) })).toBe(false);
});

test('the error of a refused header is its first issue', () => {
  expect(decode({ t: 'revoked', d: [{ id: '', exp: 1 }] })).toEqual({
    ok: false,
    error: expect.stringMatching(/>=1 characters/),
  });
});
