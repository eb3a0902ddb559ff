import type { Redis } from 'ioredis';
import { CORE_CLOCK } from '../protocol/channels.js';
import { ClockOrder, encodeClockReply } from '../protocol/clock-orders.js';
import type { Logger } from '../src/log.js';
import type { ManualClock } from './time.js';

/** Undefined for a message that is not JSON: refused, and logged, like any bad order. */
const parseOrder = (message: string) => {
  try {
    return ClockOrder.safeParse(JSON.parse(message));
  } catch {
    return undefined;
  }
};

/**
 * With CLOCK=manual (fixtures): moves lila-core's time forward on each order on `core-clock`, then
 * answers on the order's reply channel with the time reached. Orders run one after another, each
 * with every timer it makes due.
 */
export async function obeyClockOrders(subscriber: Redis, publisher: Redis, clock: ManualClock, log: Logger) {
  let advancing: Promise<unknown> = Promise.resolve();
  subscriber.on('message', (channel: string, message: string) => {
    if (channel !== CORE_CLOCK) return;
    const order = parseOrder(message);
    if (!order?.success) return log.warn({ message }, 'bad clock order');
    const { advance, reply } = order.data;
    advancing = advancing
      .then(() => clock.advance(advance))
      .then((now) => publisher.publish(reply, encodeClockReply({ now })))
      .catch((err: Error) => log.error({ err: err.message }, 'clock order failed'));
  });
  await subscriber.subscribe(CORE_CLOCK);
  log.warn('manual clock: time moves only on core-clock orders');
}
