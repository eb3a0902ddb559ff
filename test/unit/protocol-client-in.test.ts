import {
  ClientAction,
  CloseCode,
  Endpoint,
  endpointActions,
  HARD_FRAME_LIMIT_BYTES,
  MAX_FRAME_BYTES,
  Ping,
  PING_TEXTS,
  type ClientActionType,
} from '../../protocol/client-in.js';

/**
 * ClientIn as a relay decodes it: what each action accepts and refuses, field by field at each
 * bound, and what every endpoint lets through. The frames a browser sends are the protocol's edge.
 */
const accepts = (frame: unknown) => ClientAction.safeParse(frame).success;
const parsed = (frame: unknown) => ClientAction.parse(frame);

describe('pings', () => {
  test.each([null, { t: 'p' }, { t: 'p', l: 42 }, { t: 'p', l: 0.5 }])('%j is a ping', (ping) => {
    expect(Ping.safeParse(ping).success).toBe(true);
  });

  test.each([{ t: 'q' }, {}, { t: 'p', l: 'slow' }, 0, 'p'])('%j is not', (frame) => {
    expect(Ping.safeParse(frame).success).toBe(false);
  });

  test('the texts a relay matches before parsing are the two pings browsers send', () => {
    expect(PING_TEXTS).toEqual(['null', '{"t":"p"}']);
  });
});

describe('move', () => {
  test.each([[{ u: 'e2e4' }], [{ u: 'e7e8q', a: 0, l: 0 }], [{ u: 'a1h8', a: 12, l: 60_000 }]])(
    '%j is accepted as sent',
    (d) => {
      expect(parsed({ t: 'move', d })).toEqual({ t: 'move', d });
    },
  );

  test.each([
    ['no data', undefined],
    ['no move', {}],
    ['a move outside the board', { u: 'e2e9' }],
    ['a negative ack id', { u: 'e2e4', a: -1 }],
    ['a fractional ack id', { u: 'e2e4', a: 1.5 }],
    ['a negative lag', { u: 'e2e4', l: -1 }],
    ['a fractional lag', { u: 'e2e4', l: 2.5 }],
    ['a lag over a minute', { u: 'e2e4', l: 60_001 }],
  ])('refused: %s', (_, d) => {
    expect(accepts({ t: 'move', d })).toBe(false);
  });
});

/** The actions without data, by the name a browser sends. */
const bareActions: ClientActionType[] = [
  'resign',
  'abort',
  'draw-yes',
  'draw-no',
  'takeback-yes',
  'takeback-no',
  'moretime',
  'rematch-yes',
  'rematch-no',
  'outoftime',
  'resign-force',
  'draw-force',
  'clock',
  'berserk',
];

describe('actions without data', () => {
  test.each(bareActions)('%s', (t) => {
    expect(parsed({ t })).toEqual({ t });
    expect(parsed({ t, d: 'ignored' })).toEqual({ t });
  });

  test('no other type is known', () => {
    expect(accepts({ t: '' })).toBe(false);
    expect(accepts({ t: 'draw' })).toBe(false);
    expect(accepts({})).toBe(false);
  });
});

describe('talk', () => {
  test('a line is trimmed', () => {
    expect(parsed({ t: 'talk', d: '  good game \n' })).toEqual({ t: 'talk', d: 'good game' });
  });

  test('at most 140 characters, counted after trimming', () => {
    const longest = 'x'.repeat(140);
    expect(parsed({ t: 'talk', d: longest })).toEqual({ t: 'talk', d: longest });
    expect(parsed({ t: 'talk', d: ` ${longest} ` })).toEqual({ t: 'talk', d: longest });
    expect(accepts({ t: 'talk', d: `${longest}x` })).toBe(false);
  });

  test.each([[''], ['   '], [undefined], [5]])('refused: %j', (d) => {
    expect(accepts({ t: 'talk', d })).toBe(false);
  });

  test('one character is a line', () => {
    expect(parsed({ t: 'talk', d: 'x' })).toEqual({ t: 'talk', d: 'x' });
  });
});

describe('lobby actions', () => {
  const clock = { limit: 180, increment: 2 };

  test('a seek is for a random colour and casual unless it says otherwise', () => {
    expect(parsed({ t: 'seek', d: { clock } })).toEqual({ t: 'seek', d: { clock, color: 'random', rated: false } });
    expect(parsed({ t: 'seek', d: { clock, color: 'black', rated: true } })).toEqual({
      t: 'seek',
      d: { clock, color: 'black', rated: true },
    });
  });

  test.each([
    ['no clock', {}],
    ['no time at all', { clock: { limit: 0, increment: 0 } }],
    ['an unknown colour', { clock, color: 'red' }],
    ['rated as text', { clock, rated: 'yes' }],
  ])('a seek is refused with %s', (_, d) => {
    expect(accepts({ t: 'seek', d })).toBe(false);
  });

  test.each(['seek-cancel', 'seek-accept'])('%s names a seek by an id of 1 to 16 characters', (t) => {
    expect(parsed({ t, d: { id: 'a' } })).toEqual({ t, d: { id: 'a' } });
    expect(parsed({ t, d: { id: 'x'.repeat(16) } })).toEqual({ t, d: { id: 'x'.repeat(16) } });
    expect(accepts({ t, d: { id: '' } })).toBe(false);
    expect(accepts({ t, d: { id: 'x'.repeat(17) } })).toBe(false);
    expect(accepts({ t, d: {} })).toBe(false);
  });

  test.each(['pool-in', 'pool-out'])('%s names a pool by its clock, 3 to 8 characters', (t) => {
    expect(parsed({ t, d: { id: '3+0' } })).toEqual({ t, d: { id: '3+0' } });
    expect(parsed({ t, d: { id: '180+180' } })).toEqual({ t, d: { id: '180+180' } });
    expect(parsed({ t, d: { id: '10800+18' } })).toEqual({ t, d: { id: '10800+18' } });
    expect(accepts({ t, d: { id: '3+' } })).toBe(false);
    expect(accepts({ t, d: { id: '10800+180' } })).toBe(false);
    expect(accepts({ t, d: {} })).toBe(false);
  });
});

describe('endpoints', () => {
  test('the six endpoints', () => {
    expect(Endpoint.options).toEqual(['play', 'watch', 'lobby', 'site', 'user', 'tournament']);
  });

  test('what each endpoint accepts', () => {
    const accepted = Object.fromEntries(Endpoint.options.map((e) => [e, [...endpointActions[e]].sort()]));
    expect(accepted).toEqual({
      play: [...bareActions, 'move', 'talk'].sort(),
      watch: ['clock', 'talk'],
      lobby: ['pool-in', 'pool-out', 'seek', 'seek-accept', 'seek-cancel'],
      site: [],
      user: [],
      tournament: ['talk'],
    });
  });
});

test('frame limits and close codes', () => {
  expect(MAX_FRAME_BYTES).toBe(8192);
  expect(HARD_FRAME_LIMIT_BYTES).toBe(65_536);
  expect(CloseCode).toEqual({ binary: 1003, policy: 1008, tooBig: 1009, restart: 1012, revoked: 4001 });
});
