import { describe, expect, it } from 'vitest';
import { formatMs, histogramBars, linePoints, niceCeiling, relativeChange } from './stress-format';

describe('stress view formatting', () => {
  it('formats latencies and picks round chart tops', () => {
    expect([0.42, 12.34, 845.2, 2400, 12_500].map(formatMs)).toEqual(['0.42 ms', '12.3 ms', '845 ms', '2.40 s', '12.5 s']);
    expect([0, 0.3, 7, 12, 180, 1000].map(niceCeiling)).toEqual([1, 0.5, 10, 20, 200, 1000]);
  });

  it('draws a series over the box, clipped at the top, and bars by share of the tallest', () => {
    const point = (atMs: number, p99: number) => ({ atMs, calls: 1, errors: 0, cancelled: 0, p50: p99 / 2, p99, max: p99, inFlight: 0 });
    expect(linePoints([point(0, 0), point(500, 50), point(1000, 500)], (p) => p.p99, 100, 40, 100, 1000)).toBe('0.0,40.0 50.0,20.0 100.0,0.0');
    expect(histogramBars([{ upToMs: 1, count: 5 }, { upToMs: 2, count: 10 }], 30)).toEqual([
      { label: '≤ 1.00 ms', count: 5, height: 15 },
      { label: '≤ 2.00 ms', count: 10, height: 30 },
    ]);
  });

  it('says how much b differs from a', () => {
    expect(relativeChange(100, 112)).toBe('+12 %');
    expect(relativeChange(100, 96.6)).toBe('−3.4 %');
    expect(relativeChange(0, 5)).toBe('–');
  });
});
