import { readFrame } from '../../ws-server/frames.js';
import { Endpoint } from '../../protocol/client-in.js';

describe('readFrame', () => {
  test.each(['null', '{"t":"p"}', '{"t":"p","l":42}', ' null ', '{ "t": "p" }', '{"l":7,"t":"p"}'])(
    'ping %j',
    (text) => {
      expect(readFrame(text, 'play')).toEqual({ kind: 'ping' });
    },
  );

  test('pings are accepted on every endpoint', () => {
    for (const endpoint of Endpoint.options) expect(readFrame('null', endpoint)).toEqual({ kind: 'ping' });
  });

  test.each(['', '{', 'nope', '{"t":"move",}', "{'t':'p'}", 'undefined'])('bad_json for %j', (text) => {
    expect(readFrame(text, 'play')).toEqual({
      kind: 'refused',
      code: 'bad_json',
      message: 'the frame is not valid JSON',
    });
  });

  test.each(['[]', '5', '"move"', 'true', '{}', '{"d":{"u":"e2e4"}}', '{"t":5}', '{"t":null}', '[{"t":"move"}]'])(
    'bad_message for %j (not {"t":<type>})',
    (text) => {
      expect(readFrame(text, 'play')).toEqual({
        kind: 'refused',
        code: 'bad_message',
        message: 'a frame is {"t":<type>,"d":<data>}',
      });
    },
  );

  test('a ping with a bad lag is not a ping', () => {
    expect(readFrame('{"t":"p","l":"slow"}', 'play')).toMatchObject({ kind: 'refused' });
  });

  test('unknown_type names the type', () => {
    expect(readFrame('{"t":"draw"}', 'play')).toEqual({
      kind: 'refused',
      code: 'unknown_type',
      message: 'unknown message type "draw"',
    });
    expect(readFrame('{"t":"Move","d":{"u":"e2e4"}}', 'play')).toMatchObject({ code: 'unknown_type' });
  });

  test.each([
    ['no data', '{"t":"move"}', /^move: d: /],
    ['no move', '{"t":"move","d":{}}', /^move: d\.u: /],
    ['not UCI', '{"t":"move","d":{"u":"e2-e4"}}', /^move: d\.u: a move in UCI, like e2e4 or e7e8q$/],
    ['off the board', '{"t":"move","d":{"u":"e2e9"}}', /^move: d\.u: a move in UCI/],
    ['bad promotion piece', '{"t":"move","d":{"u":"e7e8k"}}', /^move: d\.u: a move in UCI/],
    ['negative ack', '{"t":"move","d":{"u":"e2e4","a":-1}}', /^move: d\.a: /],
    ['fractional ack', '{"t":"move","d":{"u":"e2e4","a":1.5}}', /^move: d\.a: /],
  ])('bad_message for a malformed move (%s), naming the field', (_what, text, message) => {
    const frame = readFrame(text, 'play');
    expect(frame).toMatchObject({ kind: 'refused', code: 'bad_message' });
    if (frame.kind === 'refused') expect(frame.message).toMatch(message);
  });

  test('a valid move on /play', () => {
    expect(readFrame('{"t":"move","d":{"u":"e2e4"}}', 'play')).toEqual({
      kind: 'action',
      action: { t: 'move', d: { u: 'e2e4' } },
    });
    expect(readFrame('{"t":"move","d":{"u":"e7e8q","a":3}}', 'play')).toEqual({
      kind: 'action',
      action: { t: 'move', d: { u: 'e7e8q', a: 3 } },
    });
  });

  test('a valid resign on /play', () => {
    expect(readFrame('{"t":"resign"}', 'play')).toEqual({ kind: 'action', action: { t: 'resign' } });
  });

  test.each(['watch', 'lobby', 'site', 'user'] as const)('not_allowed_here: actions on /%s', (endpoint) => {
    expect(readFrame('{"t":"move","d":{"u":"e2e4"}}', endpoint)).toEqual({
      kind: 'refused',
      code: 'not_allowed_here',
      message: `"move" is not accepted on /${endpoint}`,
    });
    expect(readFrame('{"t":"resign"}', endpoint)).toMatchObject({ kind: 'refused', code: 'not_allowed_here' });
  });

  test('a malformed action on a read-only endpoint is bad_message first', () => {
    expect(readFrame('{"t":"move","d":{"u":"zz"}}', 'watch')).toMatchObject({ code: 'bad_message' });
  });
});
