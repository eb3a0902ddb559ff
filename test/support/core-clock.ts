import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { CORE_CLOCK } from '../../protocol/channels.js';
import { encodeClockOrder } from '../../protocol/clock-orders.js';

/**
 * Moves the clock of a lila-core running with CLOCK=manual, firing its timers; resolves once
 * lila-core says it is done (its answer on the order's reply channel).
 */
export async function advanceCore(redisUrl: string, ms: number): Promise<void> {
  const sub = new Redis(redisUrl);
  const pub = new Redis(redisUrl);
  const reply = `${CORE_CLOCK}:${randomBytes(4).toString('hex')}`;
  try {
    const answered = new Promise<void>((resolve) => sub.on('message', (channel) => channel === reply && resolve()));
    await sub.subscribe(reply);
    await pub.publish(CORE_CLOCK, encodeClockOrder({ advance: ms, reply }));
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`lila-core did not advance its clock by ${ms} ms`)), 20_000);
    });
    await Promise.race([answered, late]).finally(() => clearTimeout(timer));
  } finally {
    sub.disconnect();
    pub.disconnect();
  }
}
