import { actionTime, STAMP_MAX_AGE_MS } from '../../lila-core/receive-time.js';

/**
 * When lila-core takes a client's action to have happened (issue #13): the relay's receive stamp,
 * within a tolerance of lila-core's own clock, else when lila-core received it.
 */
const RECEIVED = 1_700_000_000_000;

test('a stamp a little before lila-core received the message is honoured', () => {
  expect(actionTime(RECEIVED - 3, RECEIVED, true)).toBe(RECEIVED - 3);
  expect(actionTime(RECEIVED - 1_500, RECEIVED, true)).toBe(RECEIVED - 1_500);
  expect(actionTime(RECEIVED - STAMP_MAX_AGE_MS, RECEIVED, true)).toBe(RECEIVED - STAMP_MAX_AGE_MS);
  expect(actionTime(RECEIVED, RECEIVED, true)).toBe(RECEIVED);
});

test('a stamp older than the tolerance (a move held while lila-core was away, a clock far behind) is ignored', () => {
  expect(actionTime(RECEIVED - STAMP_MAX_AGE_MS - 1, RECEIVED, true)).toBe(RECEIVED);
  expect(actionTime(RECEIVED - 60_000, RECEIVED, true)).toBe(RECEIVED);
  expect(actionTime(0, RECEIVED, true)).toBe(RECEIVED);
});

test('a stamp in the future (a relay clock ahead) never makes an action later than its receipt', () => {
  expect(actionTime(RECEIVED + 5, RECEIVED, true)).toBe(RECEIVED);
  expect(actionTime(RECEIVED + 3_600_000, RECEIVED, true)).toBe(RECEIVED);
});

test('no stamp (join, leave, an older relay): the receipt', () => {
  expect(actionTime(undefined, RECEIVED, true)).toBe(RECEIVED);
});

test('under the manual clock (fixtures), stamps of wall time mean nothing to lila-core: ignored', () => {
  expect(actionTime(RECEIVED - 3, RECEIVED, false)).toBe(RECEIVED);
  expect(actionTime(Date.now(), RECEIVED, false)).toBe(RECEIVED);
});
