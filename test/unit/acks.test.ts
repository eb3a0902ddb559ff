import { jest } from '@jest/globals';
import pino from 'pino';
import { createAcks } from '../../ws-server/acks.js';

/** Stamped moves sent again until lila-core answers; a second answer recognised. */

const silent = pino({ level: 'silent' });
type Message = { sid: string; t: 'move' };
const move: Message = { sid: 's1', t: 'move' };

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

test('an unanswered move is sent again after a silence; once answered, not again, and a second answer is refused', async () => {
  const send = jest.fn((_: Message) => Promise.resolve(true));
  const acks = createAcks({ send, log: silent });
  await expect(acks.send('s1', 7, move)).resolves.toBe(true);
  await jest.advanceTimersByTimeAsync(3000);
  expect(send).toHaveBeenCalledTimes(2);
  expect(acks.answered('s1', 7)).toBe(true);
  await jest.advanceTimersByTimeAsync(30_000);
  expect(send).toHaveBeenCalledTimes(2);
  expect(acks.answered('s1', 7)).toBe(false);
  acks.close();
});

test('a send again that fails is logged and tried after the next silence, never an unhandled rejection', async () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  const send = jest
    .fn((_: Message) => Promise.resolve(true))
    .mockResolvedValueOnce(true)
    .mockRejectedValueOnce(new Error('Connection is closed.'));
  const log = { warn: jest.fn() };
  const acks = createAcks({ send, log: log as unknown as typeof silent });
  await acks.send('s1', 1, move);
  await jest.advanceTimersByTimeAsync(3000);
  await jest.advanceTimersByTimeAsync(3000);
  // Unhandled rejections are reported on a later turn of the event loop.
  jest.useRealTimers();
  await new Promise((resolve) => setImmediate(resolve));
  process.off('unhandledRejection', onUnhandled);
  expect(unhandled).toEqual([]);
  expect(send).toHaveBeenCalledTimes(3);
  expect(log.warn).toHaveBeenCalledWith(
    expect.objectContaining({ err: 'Connection is closed.' }),
    expect.stringContaining('could not send the move again'),
  );
  acks.close();
});
