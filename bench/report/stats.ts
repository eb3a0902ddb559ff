/** Median and spread over runs, and the number formats of the report. */

export function median(values: number[]): number {
  const v = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (!v.length) return NaN;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

/** "12.3 (11.0–14.2)" over several runs, "12.3" for one; `fmt` formats each figure. */
export function withSpread(values: number[], fmt: (v: number) => string): string {
  const v = values.filter(Number.isFinite);
  if (!v.length) return '–';
  if (v.length === 1) return fmt(v[0]);
  return `${fmt(median(v))} (${fmt(Math.min(...v))}–${fmt(Math.max(...v))})`;
}

/** The run whose value of `key` is the median one (the lower middle for an even count). */
export function medianRun<T>(runs: T[], key: (r: T) => number): T | undefined {
  const sorted = [...runs].sort((a, b) => key(a) - key(b));
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

export const ms = (v: number): string =>
  !Number.isFinite(v) ? '–' : v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2);
export const int = (v: number): string => (Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : '–');
export const pct = (v: number, digits = 0): string => (Number.isFinite(v) ? `${(v * 100).toFixed(digits)}%` : '–');
export const kb = (bytes: number): string => (Number.isFinite(bytes) ? `${(bytes / 1024).toFixed(1)} KB` : '–');
/** Ours against a peer: "×3.2"; "–" without both figures. */
export const ratio = (ours: number, peer: number): string =>
  Number.isFinite(ours) && Number.isFinite(peer) && peer > 0
    ? `×${(ours / peer).toFixed(ours / peer >= 10 ? 0 : 2)}`
    : '–';

/** `withSpread` of one figure picked from each run's result. */
export const over = <T>(runs: T[], pick: (r: T) => number, fmt: (v: number) => string): string =>
  withSpread(runs.map(pick), fmt);
