import { request, type IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, expectNothingLeft, fixtureEntry, startTestProxy, waitFor, type RawSseEvent, type TestProxy } from './helpers';

// A reader of /api/events that stops reading while a session floods events: the proxy must not queue without
// bound, and the reader must learn, at the right place in the stream, what it missed.
const MAX_QUEUED_BYTES = 128 * 1024;
const FLOOD_LINES = 30_000;

let proxy: TestProxy;

beforeAll(async () => {
  proxy = await startTestProxy([fixtureEntry('flood')], { eventQueue: { maxEvents: 1_000_000, maxBytes: MAX_QUEUED_BYTES } });
});

afterAll(async () => {
  await proxy?.close();
});

/** Opens /api/events and stops reading at once: the socket fills and the proxy's writes start to block. */
function openPausedEventStream(): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const url = new URL(`${proxy.url}/api/events`);
    const req = request(url, { headers: { Authorization: `Bearer ${proxy.token}`, Accept: 'text/event-stream' } }, (res) => {
      res.pause();
      resolve(res);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Resumes a paused event stream and collects its events until it is destroyed. */
function readEvents(res: IncomingMessage): RawSseEvent[] {
  const events: RawSseEvent[] = [];
  let buffer = '';
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => {
    buffer += chunk;
    for (let boundary = buffer.indexOf('\n\n'); boundary !== -1; boundary = buffer.indexOf('\n\n')) {
      const block = buffer.slice(0, boundary);
      buffer = buffer.slice(boundary + 2);
      let name = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) name = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
      }
      if (data.length > 0) events.push({ event: name, data: data.join('\n') });
    }
  });
  res.on('error', () => undefined);
  res.resume();
  return events;
}

interface ParsedStream {
  ids: number[];
  notices: Array<{ after: number; notice: { count: number; bytes: number; reason: string; firstSeq?: number; lastSeq?: number } }>;
}

/** Lifecycle event ids in stream order, and each dropped notice with the id of the event before it. */
function parse(events: RawSseEvent[]): ParsedStream {
  const parsed: ParsedStream = { ids: [], notices: [] };
  let last = -1;
  for (const event of events) {
    if (event.event === 'snapshot') last = (JSON.parse(event.data) as { seq: number }).seq;
    else if (event.event === 'dropped') parsed.notices.push({ after: last, notice: JSON.parse(event.data) as ParsedStream['notices'][number]['notice'] });
    else {
      last = (JSON.parse(event.data) as { seq: number }).seq;
      parsed.ids.push(last);
    }
  }
  return parsed;
}

describe('a slow reader of /api/events', () => {
  it('has its queue capped by bytes, and hears where events were dropped, then the newer ones in order', async () => {
    const paused = await openPausedEventStream();
    await waitFor(() => proxy.eventReaders().length === 1, 'the event stream to open');
    const reader = proxy.eventReaders()[0]!;

    const connection = await connectClient(proxy, 'flood', 'streamable-http');
    await connection.client.callTool({ name: 'stderr-flood', arguments: { lines: FLOOD_LINES } });
    const stderrEvents = () => proxy.events.filter((event) => event.type === 'stderr').length;
    await waitFor(() => stderrEvents() >= FLOOD_LINES, `all ${FLOOD_LINES} stderr lines to pass the proxy`, 60_000);
    expect(reader.droppedTotal).toBeGreaterThan(0);
    expect(reader.peakQueuedBytes).toBeGreaterThan(MAX_QUEUED_BYTES / 2);
    expect(reader.peakQueuedBytes).toBeLessThanOrEqual(MAX_QUEUED_BYTES);

    // The reader catches up: it reads everything that was queued, the notice included.
    const received = readEvents(paused);
    await waitFor(() => reader.isCaughtUp, 'the reader to catch up', 60_000);
    await waitFor(() => received.some((event) => event.event === 'dropped'), 'the dropped notice to arrive', 60_000);
    // Newer events, emitted after the drop: the reader gets them after the notice, in order.
    await connection.close();
    await expectNothingLeft(proxy);
    const lastSeq = proxy.bus.lastSeq;
    await waitFor(() => received.some((event) => event.event === 'message' && (JSON.parse(event.data) as { seq: number }).seq === lastSeq), 'the last event to arrive', 60_000);
    paused.destroy();

    const { ids, notices } = parse(received);

    expect(notices.length).toBeGreaterThan(0);
    expect(notices.reduce((sum, { notice }) => sum + notice.count, 0)).toBe(reader.droppedTotal);
    for (const { notice } of notices) expect(notice.reason).toMatch(/the reader fell behind: 128 KiB were already waiting for it/);
    // Every gap in the ids is exactly the range a notice at that position names; nothing else is missing or out of order.
    for (let index = 1; index < ids.length; index += 1) {
      const [before, after] = [ids[index - 1]!, ids[index]!];
      if (after === before + 1) continue;
      const notice = notices.find((candidate) => candidate.after === before)?.notice;
      expect(notice, `a dropped notice between seq ${before} and ${after}`).toBeDefined();
      expect(notice).toMatchObject({ firstSeq: before + 1, lastSeq: after - 1, count: after - before - 1 });
    }
    // The session's end came after the drop, and arrived.
    expect(ids.at(-1)).toBe(lastSeq);
    expect(notices.at(-1)!.after).toBeLessThan(lastSeq);
  }, 120_000);
});
