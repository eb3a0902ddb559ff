import fc from 'fast-check';

/**
 * Strings that break naive text handling: bidirectional overrides, control characters, NUL,
 * zero-width and byte-order marks, emoji (with joiners, skin tones, flags), combining marks
 * piled up, noncharacters, the last code point, lone surrogates (which no UTF-8 encoder can write
 * as such: JSON escapes them), right-to-left and full-width scripts.
 */

const codePoints = (...cps: number[]) => cps.map((cp) => String.fromCodePoint(cp));
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

export const BIDI = codePoints(
  0x202a,
  0x202b,
  0x202c,
  0x202d,
  0x202e,
  0x2066,
  0x2067,
  0x2068,
  0x2069,
  0x200e,
  0x200f,
  0x061c,
);
export const CONTROLS = codePoints(...range(0x00, 0x1f), 0x7f, ...range(0x80, 0x9f));
const INVISIBLE = codePoints(0x200b, 0x200c, 0x200d, 0x2060, 0xfeff, 0x00ad, 0x180e, 0x3164);
const EMOJI = ['😀', '👍🏽', '👨‍👩‍👧‍👦', '🏳️‍🌈', '🇫🇷', '♟️', '🧑🏿‍🚀', '❤️‍🔥', '1️⃣'];
const OTHER = [
  '\u0301'.repeat(30), // combining marks piled on one letter
  '\ufffe',
  '\uffff',
  '\u{10ffff}',
  '\ufffd',
  'שלום',
  'مرحبا',
  'ＡＢＣ',
  '\u2028',
  '\u2029',
  'ǅ',
  'İ',
  'ß',
  '𝕏',
];
const LONE_SURROGATES = fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code));

/** One odd piece of text. */
export const oddPiece: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...BIDI),
  fc.constantFrom(...CONTROLS),
  fc.constantFrom(...INVISIBLE),
  fc.constantFrom(...EMOJI),
  fc.constantFrom(...OTHER),
  LONE_SURROGATES,
  fc.string({ unit: 'binary', minLength: 1, maxLength: 4 }),
  fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 6 }),
);

/** Odd pieces mixed with plain words. */
export const oddText = (maxPieces = 12): fc.Arbitrary<string> =>
  fc
    .array(
      fc.oneof({ weight: 3, arbitrary: oddPiece }, { weight: 1, arbitrary: fc.constantFrom('gg', 'hello', ' ', 'e4') }),
      {
        minLength: 1,
        maxLength: maxPieces,
      },
    )
    .map((pieces) => pieces.join(''));

/**
 * Bytes that are not UTF-8: a lone surrogate as UTF-8 would write it (CESU-8), an overlong
 * encoding of `/`, a stray continuation byte, a truncated sequence, bytes that never appear.
 */
export const BAD_UTF8: readonly number[][] = [
  [0xed, 0xa0, 0x80],
  [0xed, 0xbf, 0xbf],
  [0xc0, 0xaf],
  [0xe0, 0x80, 0xaf],
  [0x80],
  [0xbf],
  [0xe2, 0x82],
  [0xf0, 0x9f, 0x98],
  [0xff],
  [0xfe],
  [0xf8, 0x88, 0x80, 0x80, 0x80],
  [0xf4, 0x90, 0x80, 0x80],
];
