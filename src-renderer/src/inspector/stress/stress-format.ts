import type { HistogramBucket, StressPoint } from '../../../../src-shared/stress';

/** A latency as people read it: 0.42 ms, 12.3 ms, 845 ms, 2.4 s. */
export function formatMs(ms: number): string {
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 100) return `${Math.round(ms)} ms`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(2)} ms`;
}

export function formatRate(callsPerSecond: number): string {
  return callsPerSecond >= 100 ? String(Math.round(callsPerSecond)) : callsPerSecond.toFixed(1);
}

/** A round number at or above `value` (1, 2, 5 × 10^n), for a chart's top. */
export function niceCeiling(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

/** The SVG polyline points of one series over a width × height box, the x axis spanning `spanMs`. */
export function linePoints(series: readonly StressPoint[], pick: (point: StressPoint) => number, width: number, height: number, top: number, spanMs: number): string {
  return series
    .map((point) => {
      const x = spanMs === 0 ? 0 : (point.atMs / spanMs) * width;
      const y = height - (Math.min(pick(point), top) / top) * height;
      return `${x.toFixed(1)},${y.toFixed(1)}`;
    })
    .join(' ');
}

/** Bars of the histogram: each bucket's share of the tallest as a height, labelled by its upper bound. */
export function histogramBars(buckets: readonly HistogramBucket[], height: number): { label: string; count: number; height: number }[] {
  const tallest = Math.max(1, ...buckets.map((bucket) => bucket.count));
  return buckets.map((bucket) => ({ label: `≤ ${formatMs(bucket.upToMs)}`, count: bucket.count, height: (bucket.count / tallest) * height }));
}

/** The difference of b against a as a signed percentage (`+12 %`, `−3.4 %`), or `–` when a is 0. */
export function relativeChange(a: number, b: number): string {
  if (a === 0) return '–';
  const change = ((b - a) / a) * 100;
  const text = Math.abs(change) >= 10 ? Math.round(Math.abs(change)).toString() : Math.abs(change).toFixed(1);
  return `${change > 0 ? '+' : change < 0 ? '−' : '±'}${text} %`;
}
