import { CoreOut } from '../../protocol/core-out.js';
import { decodeCoreOut, encodeCoreOut } from '../../protocol/wire.js';

const headers: CoreOut[] = [
  { t: 'room', v: 12 },
  { t: 'room' },
  { t: 'sid', sid: 'Xy_9-abc' },
  { t: 'join', sid: 'abc', status: 200 },
  { t: 'join', sid: 'abc', status: 403 },
  { t: 'join', sid: 'abc', status: 404 },
  { t: 'resend', boot: 'b00t', from: 1 },
];

describe('encodeCoreOut / decodeCoreOut', () => {
  test.each(headers)('round trip of %j', (header) => {
    const frame = '{"t":"move","v":12,"d":{"uci":"e2e4"}}';
    const decoded = decodeCoreOut(Buffer.from(encodeCoreOut(header, frame)));
    expect(decoded).toEqual({ ok: true, header, frame: Buffer.from(frame) });
  });

  test('the text is one JSON header line, a newline, then the frame untouched', () => {
    expect(encodeCoreOut({ t: 'room', v: 3 }, '0')).toBe('{"t":"room","v":3}\n0');
  });

  test('an empty frame by default', () => {
    const encoded = encodeCoreOut({ t: 'resend', boot: 'b', from: 4 });
    expect(encoded.endsWith('\n')).toBe(true);
    const decoded = decodeCoreOut(Buffer.from(encoded));
    expect(decoded.ok && decoded.frame.length).toBe(0);
  });

  test('a frame with newlines and non-ASCII text comes through byte for byte', () => {
    const frame = 'line one\nline two\n{"name":"Zoë 🐴"}\n';
    const decoded = decodeCoreOut(Buffer.from(encodeCoreOut({ t: 'sid', sid: 'é' }, frame)));
    expect(decoded.ok).toBe(true);
    if (!decoded.ok) return;
    expect(decoded.header).toEqual({ t: 'sid', sid: 'é' });
    expect(decoded.frame.toString('utf8')).toBe(frame);
  });

  test('a header with a newline inside a string still stays on one line', () => {
    const header: CoreOut = { t: 'sid', sid: 'a\nb' };
    const decoded = decodeCoreOut(Buffer.from(encodeCoreOut(header, 'F')));
    expect(decoded).toEqual({ ok: true, header, frame: Buffer.from('F') });
  });

  test('the frame is a view on the message, not a copy', () => {
    const message = Buffer.from(encodeCoreOut({ t: 'room', v: 1 }, 'abc'));
    const decoded = decodeCoreOut(message);
    if (!decoded.ok) throw new Error(decoded.error);
    expect(decoded.frame.buffer).toBe(message.buffer);
    expect(decoded.frame.byteOffset).toBe(message.byteOffset + message.indexOf(0x0a) + 1);
    message[message.length - 1] = 'z'.charCodeAt(0);
    expect(decoded.frame.toString()).toBe('abz');
  });

  test('works on a Buffer that is itself a slice of a larger one', () => {
    const big = Buffer.from(`GARBAGE${encodeCoreOut({ t: 'room' }, 'xyz')}TRAILER`);
    const message = big.subarray(7, big.length - 7);
    const decoded = decodeCoreOut(message);
    expect(decoded).toEqual({ ok: true, header: { t: 'room' }, frame: Buffer.from('xyz') });
  });

  describe('bad headers are refused', () => {
    test('no newline', () => {
      expect(decodeCoreOut(Buffer.from('{"t":"room"}'))).toEqual({ ok: false, error: 'no header line' });
      expect(decodeCoreOut(Buffer.alloc(0))).toEqual({ ok: false, error: 'no header line' });
    });

    test.each(['', 'room', '{"t":"room"', "{'t':'room'}"])('not JSON: %j', (header) => {
      expect(decodeCoreOut(Buffer.from(`${header}\nframe`))).toEqual({ ok: false, error: 'header is not JSON' });
    });

    test.each([
      ['an unknown type', { t: 'broadcast' }],
      ['no type', { v: 1 }],
      ['a negative version', { t: 'room', v: -1 }],
      ['a fractional version', { t: 'room', v: 1.5 }],
      ['a sid that is not a string', { t: 'sid', sid: 7 }],
      ['a join status that is not allowed', { t: 'join', sid: 'a', status: 500 }],
      ['a resend from 0', { t: 'resend', boot: 'b', from: 0 }],
      ['a resend without boot', { t: 'resend', from: 3 }],
      ['JSON that is not an object', null],
      ['a JSON array', [{ t: 'room' }]],
    ])('%s', (_what, header) => {
      const decoded = decodeCoreOut(Buffer.from(`${JSON.stringify(header)}\nframe`));
      expect(decoded.ok).toBe(false);
      if (!decoded.ok) expect(decoded.error).toEqual(expect.any(String));
    });
  });
});
