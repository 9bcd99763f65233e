import { describe, expect, it } from 'vitest';
import { describeEnd, formatBytes, formatUptime, lastSamples, sparklinePoints } from './process-format';

describe('the Processes view formats', () => {
  it('says bytes, uptimes and ends in words', () => {
    expect(formatBytes(512 * 1024)).toBe('512 KB');
    expect(formatBytes(143.25 * 1024 * 1024)).toBe('143.3 MB');
    expect(formatBytes(1.25 * 1024 * 1024 * 1024)).toBe('1.25 GB');
    expect(formatUptime(42_500)).toBe('42 s');
    expect(formatUptime(185_000)).toBe('3 min 5 s');
    expect(formatUptime(7_800_000)).toBe('2 h 10 min');
    expect(describeEnd({ at: 0, exitCode: 7, signal: null })).toBe('exited with code 7');
    expect(describeEnd({ at: 0, exitCode: null, signal: 'SIGKILL' })).toBe('killed by SIGKILL');
    expect(describeEnd({ at: 0, exitCode: null, signal: null })).toBe('ended (its exit was not seen)');
  });

  it('draws a sparkline scaled to its highest value, or to the floor when all are below it', () => {
    expect(sparklinePoints([0, 50, 100], 100, 10, 10)).toBe('0.0,10.0 50.0,5.0 100.0,0.0');
    // An idle line lies at the bottom: 1 % against a floor of 100 %.
    expect(sparklinePoints([1, 1], 100, 10, 100)).toBe('0.0,9.9 100.0,9.9');
    expect(sparklinePoints([], 100, 10, 1)).toBe('');
    expect(lastSamples([1, 2, 3].map((at) => ({ at, cpu: 0, rssBytes: 0 })), 2).map((sample) => sample.at)).toEqual([2, 3]);
  });
});
