import { describe, expect, it } from 'vitest';
import { formatClock, formatDuration, formatSize } from './timeline-format';
import { scrollTopToReveal, visibleRange } from './virtual-range';

describe('visibleRange', () => {
  it('renders the rows in view plus overscan, clamped to the list', () => {
    expect(visibleRange(0, 100, 20, 1000, 2)).toEqual({ start: 0, end: 7 });
    expect(visibleRange(2000, 100, 20, 1000, 2)).toEqual({ start: 98, end: 107 });
    expect(visibleRange(19_950, 100, 20, 1000, 2)).toEqual({ start: 995, end: 1000 });
    expect(visibleRange(0, 100, 20, 0)).toEqual({ start: 0, end: 0 });
  });

  it('stays O(1) and small for 100,000 rows', () => {
    const range = visibleRange(1_000_000, 600, 22, 100_000);
    expect(range.end - range.start).toBeLessThan(60);
  });
});

describe('scrollTopToReveal', () => {
  it('moves as little as needed', () => {
    expect(scrollTopToReveal(5, 0, 100, 20)).toBe(20);
    expect(scrollTopToReveal(1, 40, 100, 20)).toBe(20);
    expect(scrollTopToReveal(3, 40, 100, 20)).toBe(40);
  });
});

describe('formatting', () => {
  it('shows times to the millisecond, sizes and durations compactly', () => {
    expect(formatClock(new Date(2025, 0, 1, 9, 5, 7, 42).getTime())).toBe('09:05:07.042');
    expect(formatSize(812)).toBe('812 B');
    expect(formatSize(4300)).toBe('4.2 KB');
    expect(formatDuration(12.4)).toBe('12 ms');
    expect(formatDuration(1250)).toBe('1.25 s');
  });
});
