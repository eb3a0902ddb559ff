import {
  createChatFlood,
  CHAT_BURST,
  CHAT_REFILL_MS,
  MAX_CHATTERS,
  TELL_EVERY_MS,
} from '../../lila-core/chat/flood.js';
import { cleanChatLine } from '../../lila-core/chat/text.js';

/** Chat (issue #13, items 1 and 6): what a line may contain, and how often a user may talk. */

describe('cleanChatLine', () => {
  test('plain text, emoji and scripts written right to left pass unchanged', () => {
    for (const text of ['good luck', 'gg 👍', 'שלום', 'مرحبا', '👨‍👩‍👧 family (joiners kept)', 'e4! Nf3?!'])
      expect(cleanChatLine(text)).toBe(text);
  });

  test('bidirectional overrides, embeddings, isolates and marks are removed', () => {
    // U+202E (right-to-left override) makes "gg evil.exe" read backwards in a browser.
    expect(cleanChatLine('gg \u202Eexe.live\u202C')).toBe('gg exe.live');
    expect(cleanChatLine('\u2066a\u2067b\u2068c\u2069 \u202Ad\u202Be\u202Df \u200Eg\u200Fh\u061C')).toBe('abc def gh');
  });

  test('control characters are removed; line breaks and tabs become spaces', () => {
    expect(cleanChatLine('a\u0000b\u0007c\u001Bd\u007Fe\u0085f\u009Fg')).toBe('abcdefg');
    expect(cleanChatLine('one\ntwo\r\nthree\tfour\u2028five\u2029six')).toBe('one two  three four five six');
  });

  test('what is left is trimmed; nothing left is undefined (an empty line is refused)', () => {
    expect(cleanChatLine('  \u202E hi \u0000 ')).toBe('hi');
    expect(cleanChatLine('\u202E\u202C')).toBeUndefined();
    expect(cleanChatLine('\u0000\n\t ')).toBeUndefined();
  });

  test('never longer than what came in (the 140-character rule holds after cleaning)', () => {
    const line = 'x\u202E'.repeat(70);
    expect(cleanChatLine(line)).toBe('x'.repeat(70));
  });
});

describe('chat flood, per user across all their sockets and games', () => {
  const T0 = 1_700_000_000_000;

  test(`${CHAT_BURST} lines at once pass, the next is rate_limited; one more per ${CHAT_REFILL_MS} ms after that`, () => {
    const flood = createChatFlood();
    for (let i = 0; i < CHAT_BURST; i++)
      expect(flood.check('carol', `line ${i}`, T0)).toEqual({ ok: true, value: true });
    expect(flood.check('carol', 'one more', T0)).toMatchObject({ ok: false, code: 'rate_limited' });
    expect(flood.check('carol', 'one more', T0 + CHAT_REFILL_MS - 1)).toMatchObject({ ok: false });
    expect(flood.check('carol', 'one more', T0 + CHAT_REFILL_MS)).toMatchObject({ ok: true });
    expect(flood.check('carol', 'and another', T0 + CHAT_REFILL_MS)).toMatchObject({ ok: false });
  });

  test('a refused line costs nothing: a flood does not push the next allowed line further away', () => {
    const flood = createChatFlood();
    for (let i = 0; i < CHAT_BURST; i++) flood.check('carol', `line ${i}`, T0);
    for (let i = 0; i < 3_000; i++) flood.check('carol', `spam ${i}`, T0);
    expect(flood.check('carol', 'back', T0 + CHAT_REFILL_MS)).toMatchObject({ ok: true });
  });

  test(`a flooder is told at most once per ${TELL_EVERY_MS} ms; the other refusals are quiet`, () => {
    const flood = createChatFlood();
    for (let i = 0; i < CHAT_BURST; i++) flood.check('carol', `line ${i}`, T0);
    const told = (at: number) =>
      [...Array(100).keys()].filter((i) => {
        const verdict = flood.check('carol', `spam ${at} ${i}`, at);
        return !verdict.ok && !verdict.quiet;
      }).length;
    expect(told(T0)).toBe(1);
    expect(told(T0 + TELL_EVERY_MS - 1)).toBe(0);
    expect(told(T0 + TELL_EVERY_MS)).toBe(1);
    // A repeat is told the same way.
    expect(flood.check('carol', 'line 4', T0 + TELL_EVERY_MS + 1)).toMatchObject({ ok: false, quiet: true });
    expect(flood.check('carol', 'line 4', T0 + 2 * TELL_EVERY_MS)).toMatchObject({ ok: false, quiet: false });
  });

  test('users are limited apart', () => {
    const flood = createChatFlood();
    for (let i = 0; i < CHAT_BURST; i++) flood.check('carol', `line ${i}`, T0);
    expect(flood.check('carol', 'more', T0)).toMatchObject({ ok: false });
    expect(flood.check('dave', 'hello', T0)).toMatchObject({ ok: true });
  });

  test('a line identical to one of the user’s last two is cut (case aside), without using a token', () => {
    const flood = createChatFlood();
    expect(flood.check('carol', 'gg', T0)).toMatchObject({ ok: true });
    expect(flood.check('carol', 'gg', T0 + 10_000)).toMatchObject({ ok: false, code: 'rate_limited' });
    expect(flood.check('carol', 'GG', T0 + 10_000)).toMatchObject({ ok: false, code: 'rate_limited' });
    expect(flood.check('carol', 'well played', T0 + 10_000)).toMatchObject({ ok: true });
    // Still one of the last two.
    expect(flood.check('carol', 'gg', T0 + 10_000)).toMatchObject({ ok: false });
    expect(flood.check('carol', 'thanks', T0 + 10_000)).toMatchObject({ ok: true });
    // Two lines later, "gg" may be said again; "thanks" may not.
    expect(flood.check('carol', 'gg', T0 + 10_000)).toMatchObject({ ok: true });
    expect(flood.check('carol', 'thanks', T0 + 10_000)).toMatchObject({ ok: false });
    // Another user saying the same thing is another line.
    expect(flood.check('dave', 'gg', T0 + 10_000)).toMatchObject({ ok: true });
  });

  test('a repeat long after is a new line', () => {
    const flood = createChatFlood();
    flood.check('carol', 'gg', T0);
    expect(flood.check('carol', 'gg', T0 + 5 * 60_000)).toMatchObject({ ok: true });
  });

  test('users idle long enough are swept: the map holds only recent talkers', () => {
    const flood = createChatFlood();
    for (let i = 0; i < 1_000; i++) flood.check(`user${i}`, 'hello', T0);
    expect(flood.size).toBe(1_000);
    flood.check('late', 'hello', T0 + 10 * 60_000);
    expect(flood.size).toBe(1);
  });

  test(`never more than ${MAX_CHATTERS} users held: the least recent go first`, () => {
    const flood = createChatFlood({ maxChatters: 3 });
    for (const user of ['a', 'b', 'c']) flood.check(user, 'hi', T0);
    for (let i = 0; i < CHAT_BURST - 1; i++) flood.check('a', `more ${i}`, T0);
    flood.check('d', 'hi', T0);
    expect(flood.size).toBe(3);
    // `a` talked last among the first three, so `b` went: `a` is still out of tokens.
    expect(flood.check('a', 'again', T0)).toMatchObject({ ok: false });
  });
});
