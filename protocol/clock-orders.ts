import { z } from 'zod';

/**
 * Only when lila-core runs with CLOCK=manual (the fixture harness) and listens on `core-clock`:
 * an order moves its clock forward by `advance` ms, running every timer that falls due, and then
 * lila-core answers on the order's `reply` channel with the time it reached.
 */
export const ClockOrder = z.object({ advance: z.number().nonnegative(), reply: z.string() });
export type ClockOrder = z.infer<typeof ClockOrder>;

export const ClockReply = z.object({ now: z.number() });
export type ClockReply = z.infer<typeof ClockReply>;

export const encodeClockOrder = (order: ClockOrder): string => JSON.stringify(order);
export const encodeClockReply = (reply: ClockReply): string => JSON.stringify(reply);
