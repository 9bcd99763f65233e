import type { HistogramBucket, StressPoint } from '../../../../src-shared/stress';
import { formatMs, histogramBars, linePoints, niceCeiling } from './stress-format';

// Drawn as SVG here rather than with a chart library: two small charts need no dependency, scale with the panel,
// take the theme's colours from CSS variables (light and dark) and say what they show to a screen reader.
const WIDTH = 480;
const HEIGHT = 140;

/** p50 and p99 latency per second of the run. */
export function LatencyChart({ series }: { series: readonly StressPoint[] }) {
  const span = series.at(-1)?.atMs ?? 0;
  const top = niceCeiling(Math.max(0, ...series.map((point) => point.p99)));
  const last = series.at(-1);
  const summary = last ? `Latency per second over ${Math.round(span / 1000)} s; last second p50 ${formatMs(last.p50)}, p99 ${formatMs(last.p99)}; scale up to ${formatMs(top)}.` : 'Latency per second: no second has ended yet.';
  return (
    <figure className="stress-chart" data-testid="stress-latency-chart">
      <figcaption>Latency over time</figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={summary} preserveAspectRatio="none">
        <line className="stress-axis" x1={0} y1={HEIGHT} x2={WIDTH} y2={HEIGHT} />
        <line className="stress-grid" x1={0} y1={HEIGHT / 2} x2={WIDTH} y2={HEIGHT / 2} />
        {series.length > 0 && <polyline className="stress-line-p99" points={linePoints(series, (point) => point.p99, WIDTH, HEIGHT, top, span)} />}
        {series.length > 0 && <polyline className="stress-line-p50" points={linePoints(series, (point) => point.p50, WIDTH, HEIGHT, top, span)} />}
      </svg>
      <div className="stress-legend muted">
        <span className="stress-key stress-key-p50">p50</span> <span className="stress-key stress-key-p99">p99</span> · top {formatMs(top)}
      </div>
    </figure>
  );
}

/** How many calls took how long. */
export function HistogramChart({ buckets }: { buckets: readonly HistogramBucket[] }) {
  const bars = histogramBars(buckets, HEIGHT - 16);
  const width = bars.length === 0 ? WIDTH : WIDTH / bars.length;
  const busiest = buckets.reduce<HistogramBucket | undefined>((best, bucket) => (best && best.count >= bucket.count ? best : bucket), undefined);
  const summary = busiest ? `Latency histogram of ${bars.length} buckets from ${bars[0]!.label} to ${bars.at(-1)!.label}; most calls ${busiest.count} took up to ${formatMs(busiest.upToMs)}.` : 'Latency histogram: no call answered yet.';
  return (
    <figure className="stress-chart" data-testid="stress-histogram">
      <figcaption>Latency histogram</figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={summary} preserveAspectRatio="none">
        <line className="stress-axis" x1={0} y1={HEIGHT - 16} x2={WIDTH} y2={HEIGHT - 16} />
        {bars.map((bar, index) => (
          <rect key={bar.label} className="stress-bar" x={index * width + 1} y={HEIGHT - 16 - bar.height} width={Math.max(1, width - 2)} height={bar.height}>
            <title>
              {bar.label}: {bar.count}
            </title>
          </rect>
        ))}
      </svg>
      <div className="stress-legend muted">
        {bars.length > 0 ? `${bars[0]!.label} … ${bars.at(-1)!.label}` : ''}
      </div>
    </figure>
  );
}
