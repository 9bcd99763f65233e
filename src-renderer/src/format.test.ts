import { describe, expect, it } from 'vitest';
import { formatRelativeTime, transportLabel } from './format';

describe('formatRelativeTime', () => {
  it('is compact at every scale', () => {
    const now = 1_000_000_000;
    expect(formatRelativeTime(now - 1000, now)).toBe('just now');
    expect(formatRelativeTime(now + 3000, now)).toBe('just now');
    expect(formatRelativeTime(now - 12_000, now)).toBe('12 s ago');
    expect(formatRelativeTime(now - 5 * 60_000, now)).toBe('5 min ago');
    expect(formatRelativeTime(now - 3 * 3_600_000, now)).toBe('3 h ago');
    expect(formatRelativeTime(now - 50 * 3_600_000, now)).toBe('2 d ago');
  });

  it('names transports', () => {
    expect(transportLabel('streamable-http')).toBe('Streamable HTTP');
  });
});
