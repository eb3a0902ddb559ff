/**
 * The bench event every target publishes: JSON about the size of a lichess move event (~160 bytes),
 * carrying the step it belongs to, its number and the time it was due (performance.now() of the
 * generator, the same clock that stamps its receipt). Read back without JSON.parse: at hundreds of
 * thousands of deliveries a second the generator's own CPU is part of the measurement.
 */
const PAD = 'x'.repeat(100);

export const makePayload = (step: number, seq: number, at: number): string =>
  `{"t":"bench","k":${step},"s":${at.toFixed(3)},"i":${seq},"p":"${PAD}"}`;

export type Stamp = { step: number; at: number; seq: number };

export function readPayload(payload: string): Stamp | undefined {
  const k = payload.indexOf('"k":');
  const s = payload.indexOf(',"s":', k);
  const i = payload.indexOf(',"i":', s);
  const p = payload.indexOf(',', i + 5);
  if (k < 0 || s < 0 || i < 0 || p < 0) return undefined;
  return {
    step: Number(payload.slice(k + 4, s)),
    at: Number(payload.slice(s + 5, i)),
    seq: Number(payload.slice(i + 5, p)),
  };
}
