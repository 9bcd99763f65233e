import { build, type Histogram } from 'hdr-histogram-js';
import type { HistogramBucket, LatencySummary, StressFigures, StressPoint } from '../../../src-shared/stress';

/** How a call ended, as the runner tells the statistics. */
export type CallEnd = { kind: 'ok'; latencyMs: number } | { kind: 'error'; errorKind: string; message: string; latencyMs: number } | { kind: 'cancelled' };

/** Bucket bounds of the histogram: 1, 1.5, 2, 3, 5 and 7 of every decade from 0.1 ms to 1 000 s, then the rest. */
export const HISTOGRAM_BOUNDS_MS: readonly number[] = (() => {
  const bounds: number[] = [];
  for (let decade = 0.1; decade < 1_000_000; decade *= 10) {
    for (const step of [1, 1.5, 2, 3, 5, 7]) bounds.push(Number((decade * step).toPrecision(3)));
  }
  return [...bounds, Number.POSITIVE_INFINITY];
})();

// Latencies are kept in microseconds, to three significant digits (HdrHistogram's relative error of 0.1 %).
const newHistogram = (): Histogram => build({ lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: 3 });
const toMicros = (ms: number): number => Math.max(1, Math.min(3_600_000_000, Math.round(ms * 1000)));
const toMs = (micros: number): number => Math.round(micros) / 1000;

function summarize(histogram: Histogram): LatencySummary {
  if (histogram.totalCount === 0) return { count: 0, min: 0, mean: 0, p50: 0, p95: 0, p99: 0, max: 0 };
  return {
    count: histogram.totalCount,
    min: toMs(histogram.minNonZeroValue),
    mean: toMs(histogram.mean),
    p50: toMs(histogram.getValueAtPercentile(50)),
    p95: toMs(histogram.getValueAtPercentile(95)),
    p99: toMs(histogram.getValueAtPercentile(99)),
    // The 100th percentile rather than maxValue: both are the slowest call's bucket, but this one is read the way
    // the other percentiles are, so p99 never comes out above max.
    max: toMs(histogram.getValueAtPercentile(100)),
  };
}

/**
 * A run's statistics as calls end: counts by outcome and error kind, the latency histogram of the whole run (HdrHistogram),
 * one point per second of the run and the calls/s of the last second. Latency covers answered calls, errors
 * included; a cancelled call has no latency worth counting.
 */
export class StressStats {
  private readonly total = newHistogram();
  private readonly second = newHistogram();
  private readonly buckets = new Array<number>(HISTOGRAM_BOUNDS_MS.length).fill(0);
  private ok = 0;
  private cancelled = 0;
  private started = 0;
  private readonly errors: Record<string, number> = {};
  private readonly errorSamples: Record<string, string> = {};
  readonly series: StressPoint[] = [];
  private secondStart: number;
  private secondCounts = { calls: 0, errors: 0, cancelled: 0 };
  /** Ends of calls in the last second, for the live calls/s. */
  private recentEnds: number[] = [];

  constructor(private readonly startedAt: number) {
    this.secondStart = startedAt;
  }

  callStarted(): void {
    this.started += 1;
  }

  callEnded(end: CallEnd, now: number): void {
    this.closeSecondsUpTo(now);
    this.recentEnds.push(now);
    this.secondCounts.calls += 1;
    if (end.kind === 'cancelled') {
      this.cancelled += 1;
      this.secondCounts.cancelled += 1;
      return;
    }
    if (end.kind === 'ok') this.ok += 1;
    else {
      this.errors[end.errorKind] = (this.errors[end.errorKind] ?? 0) + 1;
      this.errorSamples[end.errorKind] ??= end.message.slice(0, 500);
      this.secondCounts.errors += 1;
    }
    const micros = toMicros(end.latencyMs);
    this.total.recordValue(micros);
    this.second.recordValue(micros);
    const bucket = HISTOGRAM_BOUNDS_MS.findIndex((bound) => end.latencyMs <= bound);
    this.buckets[bucket] = (this.buckets[bucket] ?? 0) + 1;
  }

  /** Closes every whole second that has passed by `now` into the series (a second without calls is a point too). */
  closeSecondsUpTo(now: number, inFlight = 0): void {
    while (now - this.secondStart >= 1000) {
      this.secondStart += 1000;
      this.pushPoint(this.secondStart, inFlight);
    }
  }

  /** The figures now. */
  figures(now: number, inFlight: number, progress: number): StressFigures {
    this.closeSecondsUpTo(now, inFlight);
    const cutoff = now - 1000;
    let firstRecent = 0;
    while (firstRecent < this.recentEnds.length && this.recentEnds[firstRecent]! <= cutoff) firstRecent += 1;
    if (firstRecent > 0) this.recentEnds = this.recentEnds.slice(firstRecent);
    const elapsedMs = Math.max(0, now - this.startedAt);
    const ended = this.ok + this.cancelled + Object.values(this.errors).reduce((sum, count) => sum + count, 0);
    return {
      elapsedMs,
      started: this.started,
      ok: this.ok,
      errors: { ...this.errors },
      errorSamples: { ...this.errorSamples },
      cancelled: this.cancelled,
      inFlight,
      // Over the last second, or the time run so far when it is shorter.
      callsPerSecond: elapsedMs === 0 ? 0 : (this.recentEnds.length * 1000) / Math.min(1000, elapsedMs),
      meanCallsPerSecond: elapsedMs === 0 ? 0 : (ended * 1000) / elapsedMs,
      latency: summarize(this.total),
      progress: Math.max(0, Math.min(1, progress)),
    };
  }

  /** Ends the series with the part of a second that was left (when calls ended in it). */
  finish(now: number, inFlight: number): void {
    this.closeSecondsUpTo(now, inFlight);
    if (this.secondCounts.calls > 0) this.pushPoint(now, inFlight);
  }

  /** The histogram's buckets from the first to the last one with calls in it. */
  histogram(): HistogramBucket[] {
    const first = this.buckets.findIndex((count) => count > 0);
    if (first === -1) return [];
    let last = this.buckets.length - 1;
    while (this.buckets[last] === 0) last -= 1;
    const buckets: HistogramBucket[] = [];
    for (let index = first; index <= last; index += 1) {
      // The open last bucket is bounded by the slowest call, so the export and the chart have a number to show.
      const bound = HISTOGRAM_BOUNDS_MS[index]!;
      const upToMs = Number.isFinite(bound) ? bound : toMs(this.total.maxValue);
      buckets.push({ upToMs, count: this.buckets[index]! });
    }
    return buckets;
  }

  private pushPoint(at: number, inFlight: number): void {
    const latency = summarize(this.second);
    this.series.push({ atMs: at - this.startedAt, ...this.secondCounts, p50: latency.p50, p99: latency.p99, max: latency.max, inFlight });
    this.second.reset();
    this.secondCounts = { calls: 0, errors: 0, cancelled: 0 };
  }
}
