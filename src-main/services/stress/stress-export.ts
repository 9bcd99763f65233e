import { describeErrorKind, describeTarget, errorCount, errorRate, type StressRun } from '../../../src-shared/stress';

/** A saved run as a file to download: the run itself as JSON, or its summary, series and histogram as CSV. */
export function exportRun(run: StressRun, format: 'json' | 'csv'): { fileName: string; text: string } {
  const base = `stress-${run.server.replace(/[^A-Za-z0-9._-]+/g, '_')}-${run.id}`;
  if (format === 'json') return { fileName: `${base}.json`, text: `${JSON.stringify(run, null, 2)}\n` };
  return { fileName: `${base}.csv`, text: runToCsv(run) };
}

/** RFC 4180 quoting: a field with a comma, quote or line break is quoted, its quotes doubled. */
function field(value: unknown): string {
  const text = value === undefined || value === null ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
const row = (...values: unknown[]): string => values.map(field).join(',');

/**
 * Three tables one after the other, each under its own header row and apart by an empty line: the run's summary
 * (`field,value`), its per-second series and its latency histogram. Times are in milliseconds.
 */
export function runToCsv(run: StressRun): string {
  const { figures, settings } = run;
  const load = settings.load;
  const lines = [
    row('field', 'value'),
    row('id', run.id),
    row('server', run.server),
    row('server name', run.serverInfo?.name),
    row('server version', run.serverInfo?.version),
    row('protocol version', run.protocolVersion),
    row('target', describeTarget(settings.target)),
    row('arguments', settings.target.kind === 'resource' ? '' : JSON.stringify(settings.target.arguments)),
    row('concurrency', load.concurrency),
    row('duration ms', load.durationMs),
    row('calls limit', load.calls),
    row('rate calls/s', load.rate ?? 'open loop'),
    row('cancel share', load.cancelShare),
    row('cancel after ms', load.cancelAfterMs),
    row('sessions', load.sessions),
    row('call timeout ms', load.callTimeoutMs),
    row('started at', new Date(run.startedAt).toISOString()),
    row('ended at', new Date(run.endedAt).toISOString()),
    row('outcome', run.outcome),
    row('failure', run.failure),
    row('calls started', figures.started),
    row('ok', figures.ok),
    row('errors', errorCount(figures)),
    row('error rate', errorRate(figures)),
    ...Object.entries(figures.errors).map(([kind, count]) => row(`errors: ${describeErrorKind(kind)}`, count)),
    row('cancelled', figures.cancelled),
    row('mean calls/s', figures.meanCallsPerSecond.toFixed(1)),
    row('latency min ms', figures.latency.min),
    row('latency mean ms', figures.latency.mean),
    row('latency p50 ms', figures.latency.p50),
    row('latency p95 ms', figures.latency.p95),
    row('latency p99 ms', figures.latency.p99),
    row('latency max ms', figures.latency.max),
    '',
    row('second ends at ms', 'calls', 'errors', 'cancelled', 'p50 ms', 'p99 ms', 'max ms', 'in flight'),
    ...run.series.map((point) => row(point.atMs, point.calls, point.errors, point.cancelled, point.p50, point.p99, point.max, point.inFlight)),
    '',
    row('latency up to ms', 'calls'),
    ...run.histogram.map((bucket) => row(bucket.upToMs, bucket.count)),
  ];
  return `${lines.join('\r\n')}\r\n`;
}
