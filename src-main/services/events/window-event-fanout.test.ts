import { describe, expect, it } from 'vitest';
import { IPC_CHANNELS } from '../../../src-shared/api-names';
import { WindowEventFanout } from './window-event-fanout';

const lifecycle = (seq: number) => ({ name: 'lifecycle' as const, payload: { type: 'stderr', line: 'x'.repeat(100), seq, at: 0, sessionId: 's', server: 'a' } });

describe('WindowEventFanout', () => {
  it('holds back from a window that does not acknowledge, bounded, and tells it in order where events were dropped', () => {
    const fanout = new WindowEventFanout({ inFlight: { maxEvents: 10, maxBytes: 1_000_000 }, queue: { maxEvents: 1_000, maxBytes: 2_000 } });
    const sent: Array<{ channel: string; payload: unknown }> = [];
    const send = (channel: string, payload: unknown) => sent.push({ channel, payload });
    expect(fanout.publish(7, lifecycle(1), send)).toBe(true);
    for (let seq = 2; seq <= 200; seq += 1) expect(fanout.publish(7, lifecycle(seq), send)).toBe(false);
    expect(sent).toHaveLength(10);
    expect(fanout.stats(7)!.queuedBytes).toBeLessThanOrEqual(2_000);

    while (fanout.stats(7)!.inFlight > 0) fanout.acknowledge(7, { handled: fanout.stats(7)!.inFlight });
    fanout.publish(7, lifecycle(201), send);
    const seqs = sent.map(({ channel, payload }) => (channel === IPC_CHANNELS.event('dropped') ? payload : (payload as { seq: number }).seq));
    const queued = Math.floor(2_000 / JSON.stringify(lifecycle(1).payload).length);
    const lastQueued = 10 + queued;
    expect(seqs).toEqual([
      ...Array.from({ length: lastQueued }, (_, index) => index + 1),
      { count: 200 - lastQueued, bytes: expect.any(Number), firstSeq: lastQueued + 1, lastSeq: 200, reason: expect.stringMatching(/fell behind/) },
      201,
    ]);
  });

  it('starts afresh when the page says it (re)started, and refuses a malformed acknowledgement', () => {
    const fanout = new WindowEventFanout({ inFlight: { maxEvents: 2, maxBytes: 1_000_000 } });
    const sent: unknown[] = [];
    for (let seq = 1; seq <= 5; seq += 1) fanout.publish(1, lifecycle(seq), (_channel, payload) => sent.push(payload));
    expect(fanout.acknowledge(1, { handled: -1 })).toMatch(/must be/);
    expect(fanout.acknowledge(1, 'all')).toMatch(/must be/);
    expect(fanout.acknowledge(1, { started: true })).toBeUndefined();
    expect(fanout.stats(1)).toMatchObject({ inFlight: 0, queuedBytes: 0 });
    // Events the preload does not count go straight through, outside the window.
    const direct: string[] = [];
    fanout.publish(1, { name: 'openFiles', payload: { paths: [] } }, (channel) => direct.push(channel));
    expect(direct).toEqual([IPC_CHANNELS.event('openFiles')]);
    fanout.forget(1);
    expect(fanout.stats(1)).toBeUndefined();
  });
});
