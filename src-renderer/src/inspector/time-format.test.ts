import { describe, expect, it } from 'vitest';
import { formatClock, formatDuration, formatWaited } from './time-format';

describe('time formats', () => {
  it('say how long a request waited', () => {
    expect(formatWaited(-5)).toBe('0 s');
    expect(formatWaited(42_900)).toBe('42 s');
    expect(formatWaited(65_000)).toBe('1 min 05 s');
    expect(formatWaited(3_720_000)).toBe('1 h 02 min');
  });

  it('say how long a call took', () => {
    expect(formatDuration(35.4)).toBe('35 ms');
    expect(formatDuration(1234)).toBe('1.2 s');
    expect(formatDuration(125_000)).toBe('2 min 05 s');
  });

  it('give clock times with milliseconds', () => {
    expect(formatClock(new Date(2024, 0, 1, 9, 5, 7, 42).getTime())).toBe('09:05:07.042');
  });
});
