import { describe, expect, it } from 'vitest';
import { AckedEventPump } from './acked-event-pump';
import type { QueuedEntry } from './bounded-event-queue';

const received = (sent: Array<QueuedEntry<number>>) => sent.map((entry) => (entry.kind === 'event' ? entry.event : `dropped ${entry.notice.count} (${entry.notice.firstSeq}-${entry.notice.lastSeq})`));

describe('AckedEventPump', () => {
  const make = () => {
    const sent: Array<QueuedEntry<number>> = [];
    const pump = new AckedEventPump<number>({
      send: (entry) => sent.push(entry),
      sizeOf: () => 100,
      seqOf: (seq) => seq,
      inFlight: { maxEvents: 3, maxBytes: 1_000_000 },
      queue: { maxEvents: 1_000, maxBytes: 500 },
    });
    return { sent, pump };
  };

  it('sends no more than the window before the reader acknowledges, and queues the rest within its byte cap', () => {
    const { sent, pump } = make();
    for (let seq = 1; seq <= 20; seq += 1) pump.push(seq);
    expect(received(sent)).toEqual([1, 2, 3]);
    expect(pump.inFlight).toBe(3);
    expect(pump.queuedBytes).toBe(500);
    expect(pump.droppedTotal).toBe(12);
  });

  it('delivers the queued events, then the notice where events were dropped, then newer events, as the reader acknowledges', () => {
    const { sent, pump } = make();
    for (let seq = 1; seq <= 20; seq += 1) pump.push(seq);
    pump.acknowledge(3);
    pump.acknowledge(3);
    pump.acknowledge(3);
    pump.push(21);
    pump.acknowledge(3);
    expect(received(sent)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 'dropped 12 (9-20)', 21]);
    expect(pump.inFlight).toBe(0);
  });

  it('ignores acknowledgements of more than was sent, and forgets everything when the reader starts afresh', () => {
    const { sent, pump } = make();
    pump.acknowledge(1_000);
    for (let seq = 1; seq <= 10; seq += 1) pump.push(seq);
    pump.reset();
    expect(pump.inFlight).toBe(0);
    expect(pump.queuedBytes).toBe(0);
    pump.push(11);
    expect(received(sent)).toEqual([1, 2, 3, 11]);
  });
});
