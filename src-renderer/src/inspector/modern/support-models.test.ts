import { describe, expect, it } from 'vitest';
import { describeCacheHint } from './cache-hint';
import { beginInputOrigin, describeInputRequestOrigin, describeOrigin, roundOfProgress, soleInputOrigin } from './input-origin';

describe('cache hints', () => {
  it('reads a hint with how long the result stays fresh', () => {
    const receivedAt = 1_000_000;
    expect(describeCacheHint({ ttlMs: 60_000, cacheScope: 'public', receivedAt }, receivedAt + 18_000)).toBe('ttl 1 min 00 s · public · fresh for 42.0 s');
    expect(describeCacheHint({ ttlMs: 60_000, cacheScope: 'public', receivedAt }, receivedAt + 61_000)).toBe('ttl 1 min 00 s · public · stale');
    expect(describeCacheHint({ ttlMs: 0, cacheScope: 'private', receivedAt }, receivedAt)).toBe('ttl 0 · private · stale at once');
    expect(describeCacheHint({ cacheScope: 'private', receivedAt }, receivedAt)).toBe('no ttl · private');
  });
});

describe('input origins', () => {
  it("takes the round from the SDK's progress report and names the one call that asks", () => {
    expect(roundOfProgress({ progress: 2, message: "Fulfilling input required by 'tools/call' (round 2)" })).toBe(2);
    expect(roundOfProgress({ progress: 3, total: 5, message: 'counted 3' } as { progress: number; message?: string })).toBeUndefined();
    const call = beginInputOrigin('weather', { method: 'tools/call', target: 'ask-name' });
    expect(soleInputOrigin('weather')).toEqual({ method: 'tools/call', target: 'ask-name' });
    expect(call.round({ progress: 1, message: "Fulfilling input required by 'tools/call' (round 1)" })).toBe(true);
    expect(describeOrigin(soleInputOrigin('weather')!)).toBe('tools/call ask-name, round 1');
    // Two calls at once: a card cannot tell which one asks.
    const other = beginInputOrigin('weather', { method: 'prompts/get', target: 'plan' });
    expect(soleInputOrigin('weather')).toBeUndefined();
    other.end();
    call.end();
    expect(soleInputOrigin('weather')).toBeUndefined();
  });
});

describe('what a card says asked for it', () => {
  it("names the request's round, or the task, and the input's key", () => {
    expect(describeInputRequestOrigin({ key: 'name', request: { method: 'tools/call', target: 'ask-name', round: 1 } })).toBe('asked by tools/call ask-name, round 1 · input name');
    expect(describeInputRequestOrigin({ key: 'approve-1', task: { taskId: 't', tool: 'background-job' } })).toBe(
      'asked by the task of background-job (answered with tasks/update) · input approve-1',
    );
    expect(describeInputRequestOrigin({ key: 'summary' })).toBe('asked by a request of this server · input summary');
  });
});
