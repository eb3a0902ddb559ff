/**
 * Time as lila-core reads it. The system clock in production; a manual clock for fixtures,
 * which moves only when told, so that clocks and timers replay exactly.
 */
export type Clock = { now(): number };

export const systemClock: Clock = { now: () => Date.now() };

export function manualClock(start: number): Clock & { advance(ms: number): number } {
  let time = start;
  return {
    now: () => time,
    advance: (ms) => (time += ms),
  };
}
