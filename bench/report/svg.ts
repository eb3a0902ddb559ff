/**
 * Line charts as plain SVG: axes (linear or logarithmic), ticks, one polyline and dot per point
 * for each series, a legend, and optionally a horizontal limit line (the 50 ms p99 bound).
 */
export type Series = { name: string; points: [number, number][] };

export type Chart = {
  title: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
  logX?: boolean;
  logY?: boolean;
  /** A horizontal line at this y, labelled. */
  limit?: { y: number; label: string };
};

const W = 720;
const H = 420;
const M = { left: 70, right: 20, top: 40, bottom: 55 };
const COLORS = ['#d6336c', '#1c7ed6', '#2b8a3e', '#e67700', '#6741d9'];

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Compact figures for ticks: 1.5k, 20k, 1.2M, 0.5. */
export function compact(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e6) return `${+(v / 1e6).toPrecision(3)}M`;
  if (a >= 1e3) return `${+(v / 1e3).toPrecision(3)}k`;
  return `${+v.toPrecision(3)}`;
}

function ticks(min: number, max: number, log: boolean): number[] {
  if (log) {
    const out: number[] = [];
    for (let e = Math.floor(Math.log10(min)); e <= Math.ceil(Math.log10(max)); e++)
      for (const m of [1, 2, 5]) {
        const v = m * 10 ** e;
        if (v >= min && v <= max) out.push(v);
      }
    return out;
  }
  const step = 10 ** Math.floor(Math.log10((max - min) / 5 || 1));
  const nice = [1, 2, 5, 10].map((m) => m * step).find((s) => (max - min) / s <= 8) ?? step * 10;
  const out: number[] = [];
  for (let v = Math.ceil(min / nice) * nice; v <= max + 1e-9; v += nice) out.push(+v.toPrecision(12));
  return out;
}

export function lineChart(c: Chart): string {
  const all = c.series.flatMap((s) => s.points).filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
  const xs = all.map((p) => p[0]).filter((x) => !c.logX || x > 0);
  const ys = [...all.map((p) => p[1]), ...(c.limit ? [c.limit.y] : [])].filter((y) => !c.logY || y > 0);
  let [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  let [y0, y1] = [c.logY ? Math.min(...ys) : 0, Math.max(...ys)];
  if (!xs.length) [x0, x1] = [1, 10];
  if (!ys.length) [y0, y1] = [1, 10];
  if (c.logX) [x0, x1] = [10 ** Math.floor(Math.log10(x0)), 10 ** Math.ceil(Math.log10(x1))];
  else [x0, x1] = [0, x1 * 1.05 || 1];
  if (c.logY) [y0, y1] = [10 ** Math.floor(Math.log10(y0)), 10 ** Math.ceil(Math.log10(y1))];
  else y1 = y1 * 1.1 || 1;
  const px = (x: number) =>
    M.left + (c.logX ? Math.log10(x / x0) / Math.log10(x1 / x0) : (x - x0) / (x1 - x0)) * (W - M.left - M.right);
  const py = (y: number) =>
    H - M.bottom - (c.logY ? Math.log10(y / y0) / Math.log10(y1 / y0) : (y - y0) / (y1 - y0)) * (H - M.top - M.bottom);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${esc(c.title)}</text>`,
  ];
  for (const t of ticks(x0, x1, !!c.logX)) {
    const x = px(t).toFixed(1);
    out.push(`<line x1="${x}" y1="${M.top}" x2="${x}" y2="${H - M.bottom}" stroke="#eee"/>`);
    out.push(`<text x="${x}" y="${H - M.bottom + 16}" text-anchor="middle">${compact(t)}</text>`);
  }
  for (const t of ticks(y0, y1, !!c.logY)) {
    const y = py(t).toFixed(1);
    out.push(`<line x1="${M.left}" y1="${y}" x2="${W - M.right}" y2="${y}" stroke="#eee"/>`);
    out.push(`<text x="${M.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${compact(t)}</text>`);
  }
  out.push(
    `<line x1="${M.left}" y1="${H - M.bottom}" x2="${W - M.right}" y2="${H - M.bottom}" stroke="#333"/>`,
    `<line x1="${M.left}" y1="${M.top}" x2="${M.left}" y2="${H - M.bottom}" stroke="#333"/>`,
    `<text x="${(M.left + W - M.right) / 2}" y="${H - 14}" text-anchor="middle">${esc(c.xLabel)}</text>`,
    `<text transform="translate(16 ${(M.top + H - M.bottom) / 2}) rotate(-90)" text-anchor="middle">${esc(c.yLabel)}</text>`,
  );
  if (c.limit) {
    const y = py(c.limit.y).toFixed(1);
    out.push(
      `<line x1="${M.left}" y1="${y}" x2="${W - M.right}" y2="${y}" stroke="#888" stroke-dasharray="6 4"/>`,
      `<text x="${W - M.right - 4}" y="${Number(y) - 5}" text-anchor="end" fill="#666">${esc(c.limit.label)}</text>`,
    );
  }
  c.series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length];
    const pts = s.points.filter(
      ([x, y]) => Number.isFinite(x) && Number.isFinite(y) && (!c.logX || x > 0) && (!c.logY || y > 0),
    );
    if (pts.length) {
      const d = pts.map(([x, y]) => `${px(x).toFixed(1)},${py(y).toFixed(1)}`).join(' ');
      out.push(`<polyline points="${d}" fill="none" stroke="${color}" stroke-width="2"/>`);
      for (const [x, y] of pts)
        out.push(`<circle cx="${px(x).toFixed(1)}" cy="${py(y).toFixed(1)}" r="3" fill="${color}"/>`);
    }
    const ly = M.top + 6 + i * 18;
    out.push(
      `<rect x="${M.left + 12}" y="${ly}" width="14" height="4" fill="${color}"/>`,
      `<text x="${M.left + 32}" y="${ly + 5}">${esc(s.name)}</text>`,
    );
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}
