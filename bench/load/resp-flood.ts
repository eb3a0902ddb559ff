import { connect } from 'node:net';

/**
 * Publishes `count` messages on `channel` as fast as one socket to Redis takes them: PUBLISH
 * commands written in RESP by hand, a thousand to a write, waiting only for the kernel's buffer
 * (no reply awaited before the next command), and with a `window` no further ahead of what the
 * receiver has taken than its size. The fastest publisher this generator can be, so that
 * what a subscriber's rate shows is the subscriber's ceiling, not the publisher's. Resolves once
 * Redis has answered every command, with how long the writing took.
 */
export async function floodPublish(
  redisUrl: string,
  channel: string,
  count: number,
  message: (i: number) => string,
  /** Given, at most this many messages ahead of `received()`: the receiver's backlog stays bounded. */
  window?: { size: number; received: () => number },
): Promise<{ seconds: number }> {
  const { hostname, port } = new URL(redisUrl);
  const socket = connect(Number(port), hostname);
  await new Promise<void>((ok, fail) => socket.once('connect', ok).once('error', fail));
  let replies = 0;
  const answered = new Promise<void>((done, fail) => {
    socket.on('data', (chunk: Buffer) => {
      // Every reply to PUBLISH is an integer, `:<n>\r\n`: one line each.
      for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) replies++;
      if (replies >= count) done();
    });
    socket.once('error', fail);
  });
  const head = `*3\r\n$7\r\nPUBLISH\r\n$${Buffer.byteLength(channel)}\r\n${channel}\r\n`;
  const t0 = performance.now();
  for (let i = 0; i < count;) {
    while (window && i - window.received() >= window.size) await new Promise((r) => setTimeout(r, 1));
    let batch = '';
    for (const end = Math.min(count, i + 1000); i < end; i++) {
      const text = message(i);
      batch += `${head}$${Buffer.byteLength(text)}\r\n${text}\r\n`;
    }
    if (!socket.write(batch)) await new Promise((r) => socket.once('drain', r));
  }
  const seconds = (performance.now() - t0) / 1000;
  await answered;
  socket.destroy();
  return { seconds };
}

/** Counts what arrives and when the first and last came: a rate that excludes the wait before. */
export class ArrivalClock {
  count = 0;
  first = 0;
  last = 0;
  hit(): void {
    const now = performance.now();
    if (this.count++ === 0) this.first = now;
    this.last = now;
  }
  /** Messages per second from the first to the last. */
  get rate(): number {
    return this.count > 1 ? ((this.count - 1) * 1000) / (this.last - this.first) : 0;
  }
}
