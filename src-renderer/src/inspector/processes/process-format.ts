import type { MonitoredChild, ProcessFigures } from '../../../../src-shared/processes';

/** Bytes as the process monitor shows them: 812 KB, 143.2 MB, 1.25 GB. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  if (bytes < 1024 * 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  return `${(bytes / (1024 * 1024 * 1024)).toFixed(2)} GB`;
}

/** CPU in percent of one core, one decimal. */
export function formatCpu(cpu: number): string {
  return `${cpu.toFixed(1)} %`;
}

/** An uptime: 42 s, 3 min 5 s, 2 h 10 min. */
export function formatUptime(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** How an ended child ended, as words. */
export function describeEnd(end: NonNullable<MonitoredChild['ended']>): string {
  if (end.signal) return `killed by ${end.signal}`;
  if (end.exitCode !== null) return `exited with code ${end.exitCode}`;
  return 'ended (its exit was not seen)';
}

/**
 * The points of a sparkline in a width × height box: samples spread evenly left to right, values scaled to the
 * highest (or `floor`, whichever is more, so an idle line lies flat at the bottom instead of filling the box).
 */
export function sparklinePoints(values: readonly number[], width: number, height: number, floor: number): string {
  if (values.length === 0) return '';
  const top = Math.max(floor, ...values);
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  return values
    .map((value, index) => {
      const x = values.length > 1 ? index * step : width / 2;
      const y = height - (top > 0 ? (value / top) * height : 0);
      return `${x.toFixed(1)},${y.toFixed(1)}`;
    })
    .join(' ');
}

/** The samples a sparkline draws: the last `count` (the whole life while it is shorter). */
export function lastSamples(samples: readonly ProcessFigures[], count: number): ProcessFigures[] {
  return samples.slice(Math.max(0, samples.length - count));
}
