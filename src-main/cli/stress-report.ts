import { describeErrorKind, describeTarget, errorCount, errorRate, type StressFigures, type StressRun, type StressSettings } from '../../src-shared/stress';

/** A threshold of `npm run stress` and whether the run kept to it. */
export interface ThresholdCheck {
  name: 'error rate' | 'p99';
  limit: number;
  actual: number;
  passed: boolean;
  sentence: string;
}

const ms = (value: number): string => `${value < 10 ? value.toFixed(2) : value < 100 ? value.toFixed(1) : Math.round(value)} ms`;
const percent = (share: number): string => `${(share * 100).toFixed(share < 0.001 && share > 0 ? 3 : 2)} %`;

/** Checks the run against the flags' thresholds; none given, none checked. */
export function checkThresholds(run: StressRun, limits: { maxErrorRate?: number; maxP99Ms?: number }): ThresholdCheck[] {
  const checks: ThresholdCheck[] = [];
  if (limits.maxErrorRate !== undefined) {
    const actual = errorRate(run.figures);
    const passed = actual <= limits.maxErrorRate;
    checks.push({ name: 'error rate', limit: limits.maxErrorRate, actual, passed, sentence: `error rate ${percent(actual)} ${passed ? '<=' : '>'} ${percent(limits.maxErrorRate)}` });
  }
  if (limits.maxP99Ms !== undefined) {
    const actual = run.figures.latency.p99;
    const passed = actual <= limits.maxP99Ms;
    checks.push({ name: 'p99', limit: limits.maxP99Ms, actual, passed, sentence: `p99 ${ms(actual)} ${passed ? '<=' : '>'} ${ms(limits.maxP99Ms)}` });
  }
  return checks;
}

/** The load as one line: `200 in flight, 30 s, open loop, 10 % cancelled after 50 ms, 1 session`. */
export function describeLoad(settings: StressSettings): string {
  const { load } = settings;
  const parts = [`${load.concurrency} in flight`];
  if (load.durationMs !== undefined) parts.push(`${load.durationMs / 1000} s`);
  if (load.calls !== undefined) parts.push(`${load.calls} calls`);
  parts.push(load.rate === undefined ? 'open loop' : `${load.rate} calls/s`);
  if (load.cancelShare > 0) parts.push(`${Math.round(load.cancelShare * 1000) / 10} % cancelled after ${load.cancelAfterMs} ms`);
  parts.push(load.sessions === 1 ? '1 session' : `${load.sessions} sessions`);
  return parts.join(', ');
}

/** One progress line, written to stderr about once a second. */
export function progressLine(figures: StressFigures): string {
  return `${(figures.elapsedMs / 1000).toFixed(1)} s  ${Math.round(figures.progress * 100)} %  ${Math.round(figures.callsPerSecond)} calls/s  in flight ${figures.inFlight}  ok ${figures.ok}  errors ${errorCount(figures)}  cancelled ${figures.cancelled}  p99 ${ms(figures.latency.p99)}`;
}

/** The report printed at the end of a run. */
export function formatReport(run: StressRun, checks: ThresholdCheck[]): string[] {
  const { figures } = run;
  const server = run.serverInfo ? `${run.server} (${run.serverInfo.name} ${run.serverInfo.version})` : run.server;
  const lines = [`stress ${server}: ${describeTarget(run.settings.target)}; ${describeLoad(run.settings)}`];
  if (run.failure) lines.push(`failed: ${run.failure}`);
  lines.push(`${run.outcome} after ${(figures.elapsedMs / 1000).toFixed(1)} s: ${figures.started} calls sent, ${figures.ok} ok, ${errorCount(figures)} errors, ${figures.cancelled} cancelled`);
  for (const [kind, count] of Object.entries(figures.errors)) lines.push(`  ${describeErrorKind(kind)}: ${count} (first: ${figures.errorSamples[kind] ?? ''})`);
  lines.push(`calls/s: ${figures.meanCallsPerSecond.toFixed(1)}`);
  lines.push(`latency: p50 ${ms(figures.latency.p50)}  p95 ${ms(figures.latency.p95)}  p99 ${ms(figures.latency.p99)}  max ${ms(figures.latency.max)}  mean ${ms(figures.latency.mean)}`);
  for (const check of checks) lines.push(`${check.passed ? 'ok' : 'FAILED'}: ${check.sentence}`);
  return lines;
}
