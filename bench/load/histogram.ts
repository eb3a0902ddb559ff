/**
 * A latency histogram in the spirit of HdrHistogram: logarithmic buckets 1% wide from 1 µs to
 * 1000 s, so that recording costs one logarithm and a percentile is within 1% of the truth
 * whatever the number of samples. Histograms from several runs or processes add up.
 */
const GROWTH = 1.01;
const PER_LN = 1 / Math.log(GROWTH);
/** ln(1e9 µs) / ln(1.01), rounded up: 1000 s. */
const BUCKETS = 2083;

export type HistogramJson = { counts: [number, number][]; count: number; max: number };

export class Histogram {
  private counts = new Float64Array(BUCKETS);
  count = 0;
  /** Microseconds. */
  max = 0;

  /** `ms`: a latency in milliseconds (fractions welcome). */
  record(ms: number): void {
    const us = ms * 1000;
    const i = us <= 1 ? 0 : Math.min(BUCKETS - 1, Math.ceil(Math.log(us) * PER_LN));
    this.counts[i]++;
    this.count++;
    if (us > this.max) this.max = us;
  }

  /** The latency (ms) that `p` percent of the samples do not exceed: a bucket's upper bound. */
  percentile(p: number): number {
    if (!this.count) return NaN;
    const rank = Math.ceil((p / 100) * this.count);
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i];
      if (seen >= rank) return Math.min(GROWTH ** i, this.max) / 1000;
    }
    return this.max / 1000;
  }

  add(other: Histogram): void {
    for (let i = 0; i < BUCKETS; i++) this.counts[i] += other.counts[i];
    this.count += other.count;
    this.max = Math.max(this.max, other.max);
  }

  summary(): LatencySummary {
    return {
      count: this.count,
      p50: this.percentile(50),
      p99: this.percentile(99),
      p999: this.percentile(99.9),
      max: this.max / 1000,
    };
  }

  toJSON(): HistogramJson {
    const counts: [number, number][] = [];
    this.counts.forEach((n, i) => n && counts.push([i, n]));
    return { counts, count: this.count, max: this.max };
  }

  static fromJSON(json: HistogramJson): Histogram {
    const h = new Histogram();
    for (const [i, n] of json.counts) h.counts[i] = n;
    h.count = json.count;
    h.max = json.max;
    return h;
  }
}

/** Milliseconds. */
export type LatencySummary = { count: number; p50: number; p99: number; p999: number; max: number };
