import { describe, expect, it } from 'vitest';
import { BoundedEventQueue, formatBytes, type QueuedEntry } from './bounded-event-queue';

const drain = <T>(queue: BoundedEventQueue<T>): Array<QueuedEntry<T>> => {
  const taken: Array<QueuedEntry<T>> = [];
  for (let entry = queue.shift(); entry; entry = queue.shift()) taken.push(entry);
  return taken;
};
const shape = (entries: Array<QueuedEntry<number>>) => entries.map((entry) => (entry.kind === 'event' ? entry.event : `dropped ${entry.notice.count}`));

describe('BoundedEventQueue', () => {
  it('caps by count: what does not fit becomes one notice at the place it was dropped, and newer events follow it', () => {
    const queue = new BoundedEventQueue<number>({ maxEvents: 4, maxBytes: 1_000 }, (seq) => seq);
    for (let seq = 1; seq <= 10; seq += 1) queue.push(seq, 10);
    expect(queue.queuedEvents).toBe(4);
    expect(shape(drain(queue))).toEqual([1, 2, 3, 4, 'dropped 6']);
    queue.push(11, 10);
    expect(shape(drain(queue))).toEqual([11]);
  });

  it('caps by bytes, names the seq range and why', () => {
    const queue = new BoundedEventQueue<number>({ maxEvents: 1_000, maxBytes: 2048 }, (seq) => seq);
    for (let seq = 1; seq <= 5; seq += 1) queue.push(seq, 1000);
    expect(queue.queuedBytes).toBe(2000);
    const entries = drain(queue);
    expect(entries.at(-1)).toEqual({ kind: 'dropped', notice: { count: 3, bytes: 3000, firstSeq: 3, lastSeq: 5, reason: 'the reader fell behind: 2 KiB were already waiting for it' } });
    expect(queue.droppedTotal).toBe(3);
  });

  it('keeps dropping until half of the queue was taken, so a slow reader sees one gap per stall', () => {
    const queue = new BoundedEventQueue<number>({ maxEvents: 4, maxBytes: 1_000 });
    for (let seq = 1; seq <= 5; seq += 1) queue.push(seq, 1);
    queue.shift();
    queue.push(6, 1); // still above half: counted in the same notice
    queue.shift();
    queue.push(7, 1); // two of four left: queued again, after the notice
    expect(shape(drain(queue))).toEqual([3, 4, 'dropped 2', 7]);
  });

  it('says so when one event is larger than the whole queue', () => {
    const queue = new BoundedEventQueue<string>({ maxEvents: 10, maxBytes: 1024 });
    queue.push('huge', 5 * 1024 * 1024);
    expect(drain(queue)).toEqual([{ kind: 'dropped', notice: { count: 1, bytes: 5 * 1024 * 1024, reason: "an event of 5 MiB is larger than a reader's whole queue (1 KiB)" } }]);
    expect(queue.isEmpty).toBe(true);
  });

  it('formats sizes', () => {
    expect([formatBytes(512), formatBytes(1536), formatBytes(8 * 1024 * 1024)]).toEqual(['512 B', '1.5 KiB', '8 MiB']);
  });
});
