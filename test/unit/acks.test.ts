import { jest } from '@jest/globals';
import pino from 'pino';
import { createAcks, MAX_UNANSWERED, MAX_UNANSWERED_PER_SOCKET } from '../../ws-server/acks.js';

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

describe('bounded: the unanswered moves of a socket, and of the relay', () => {
  const never = () => new Promise<boolean>(() => undefined);
  const moveOf = (sid: string): Message => ({ sid, t: 'move' });

  test('a socket past MAX_UNANSWERED_PER_SOCKET unanswered moves is refused ("socket"); an answer makes room', () => {
    const acks = createAcks({ send: never, log: silent });
    for (let a = 0; a < MAX_UNANSWERED_PER_SOCKET; a++) {
      expect(acks.full('s1', a)).toBeUndefined();
      void acks.send('s1', a, move);
    }
    expect(acks.full('s1', MAX_UNANSWERED_PER_SOCKET)).toBe('socket');
    // The same move sent again by the socket takes no more room; another socket is not affected.
    expect(acks.full('s1', 3)).toBeUndefined();
    expect(acks.full('s2', 1)).toBeUndefined();
    acks.answered('s1', 3);
    expect(acks.full('s1', MAX_UNANSWERED_PER_SOCKET)).toBeUndefined();
    acks.close();
  });

  test('the relay past MAX_UNANSWERED in all is refused ("relay"); a socket closing frees its moves', () => {
    const acks = createAcks({ send: never, log: silent });
    const sockets = Math.ceil(MAX_UNANSWERED / MAX_UNANSWERED_PER_SOCKET);
    let sent = 0;
    for (let s = 0; s < sockets; s++)
      for (let a = 0; a < MAX_UNANSWERED_PER_SOCKET && sent < MAX_UNANSWERED; a++, sent++)
        void acks.send(`s${s}`, a, moveOf(`s${s}`));
    expect(acks.size).toBe(MAX_UNANSWERED);
    expect(acks.full('newcomer', 1)).toBe('relay');
    acks.forget('s0');
    expect(acks.size).toBe(MAX_UNANSWERED - MAX_UNANSWERED_PER_SOCKET);
    expect(acks.full('newcomer', 1)).toBeUndefined();
    acks.close();
  });

  test('a move given up after MAX_SENDS silences leaves the count', async () => {
    const acks = createAcks({ send: () => Promise.resolve(true), log: silent });
    void acks.send('s1', 1, move);
    expect(acks.size).toBe(1);
    await jest.advanceTimersByTimeAsync(60_000);
    expect(acks.size).toBe(0);
    acks.close();
  });
});

describe('second answers recognised per open socket, the last 32 of its moves', () => {
  const answerAll = (acks: ReturnType<typeof createAcks<Message>>, sid: string, ids: number[]) =>
    ids.map((a) => (void acks.send(sid, a, { sid, t: 'move' }), acks.answered(sid, a)));

  test("each socket's own: the same ack id answered on another socket is a first answer there", () => {
    const acks = createAcks({ send: () => Promise.resolve(true), log: silent });
    expect(answerAll(acks, 's1', [1, 2])).toEqual([true, true]);
    expect(acks.answered('s1', 2)).toBe(false);
    expect(answerAll(acks, 's2', [2])).toEqual([true]);
    expect(acks.answered('s2', 2)).toBe(false);
    acks.close();
  });

  test('the 33rd answer pushes out the first; a socket that closes is forgotten', () => {
    const acks = createAcks({ send: () => Promise.resolve(true), log: silent });
    answerAll(acks, 's1', [...Array(32).keys()]);
    expect(acks.answered('s1', 0)).toBe(false);
    answerAll(acks, 's1', [32]);
    expect(acks.answered('s1', 0)).toBe(true);
    expect(acks.answered('s1', 1)).toBe(false);
    acks.forget('s1');
    expect(acks.answered('s1', 32)).toBe(true);
    acks.close();
  });
});
