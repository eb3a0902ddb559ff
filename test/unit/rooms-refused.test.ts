import type { Redis } from 'ioredis';
import { createRooms } from '../../ws-server/rooms.js';

test('a subscription Redis refuses rejects for whoever awaits it, and is no unhandled rejection for whoever does not', async () => {
  const unhandled: unknown[] = [];
  const listener = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', listener);
  try {
    const closed = { subscribe: () => Promise.reject(new Error('Connection is closed.')) } as unknown as Redis;
    const rooms = createRooms(closed);
    // As the relay enters `site` at start, without awaiting it.
    void rooms.enter('site');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(unhandled).toEqual([]);
    // A socket's upgrade awaits its rooms: it still hears of the failure.
    await expect(rooms.enter('site')).rejects.toThrow('Connection is closed.');
  } finally {
    process.off('unhandledRejection', listener);
  }
});
