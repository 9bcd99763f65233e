import { describe, expect, it, vi } from 'vitest';
import type { MessageEvent } from '../../../src-shared/events';
import { EntryDeque } from './entry-deque';
import { groupOf, requestStatus, SEARCHABLE_BODY_CHARS, type TimelineEntry } from './timeline-entry';
import { buildExport, exportFileName } from './timeline-export';
import { syntheticMessages } from './synthetic-traffic';
import { DEFAULT_CAP, MAX_CAP, MIN_CAP, TimelineStore, type SessionEndEvent } from './timeline-store';

let seq = 0;

/** A message event as the proxy emits it; seq and time count up. */
function message(fields: Partial<MessageEvent> & Pick<MessageEvent, 'direction' | 'kind'>): MessageEvent {
  seq += 1;
  return { type: 'message', seq, at: 1_700_000_000_000 + seq, sessionId: 's1', server: 'alpha', size: 100, ...fields };
}

const request = (id: number | string, method: string, extra: Partial<MessageEvent> = {}) =>
  message({ direction: 'client-to-server', kind: 'request', id, method, body: { jsonrpc: '2.0', id, method, params: {} }, ...extra });
const response = (id: number | string, extra: Partial<MessageEvent> = {}) =>
  message({ direction: 'server-to-client', kind: 'response', id, durationMs: 12, isError: false, body: { jsonrpc: '2.0', id, result: {} }, ...extra });
const progress = (relatedRequestId: number | string, extra: Partial<MessageEvent> = {}) =>
  message({ direction: 'server-to-client', kind: 'notification', method: 'notifications/progress', relatedRequestId, body: { method: 'notifications/progress' }, ...extra });

/** A store that announces at once, as tests read it synchronously. */
function storeWith(events: MessageEvent[], cap?: number): TimelineStore {
  const store = new TimelineStore({ cap, schedule: (notify) => notify() });
  store.ingestMany(events);
  return store;
}

const shown = (store: TimelineStore): TimelineEntry[] => store.shown.toArray();
const seqs = (store: TimelineStore): number[] => shown(store).map((entry) => entry.event.seq);

describe('linking', () => {
  it('links a response to its request: method, duration and error', () => {
    const store = storeWith([request(1, 'tools/call'), request(2, 'tools/list'), response(2, { durationMs: 7 }), response(1, { durationMs: 31, isError: true })]);
    const [call, list, listAnswer, callAnswer] = shown(store);
    expect(listAnswer!.method).toBe('tools/list');
    expect(listAnswer!.request).toBe(list);
    expect(list!.response).toBe(listAnswer);
    expect(list!.durationMs).toBe(7);
    expect(list!.isError).toBe(false);
    expect(callAnswer!.method).toBe('tools/call');
    expect(call!.durationMs).toBe(31);
    expect(call!.isError).toBe(true);
    expect(callAnswer!.isError).toBe(true);
  });

  it('leaves a request pending until answered, and keeps sessions, directions and id types apart', () => {
    const store = storeWith([
      request(1, 'tools/call'),
      request('1', 'resources/read'),
      request(1, 'ping', { sessionId: 's2' }),
      message({ direction: 'server-to-client', kind: 'request', id: 1, method: 'sampling/createMessage' }),
      response('1'),
    ]);
    const [numeric, text, otherSession, serverRequest, answer] = shown(store);
    expect(answer!.request).toBe(text);
    expect(numeric!.response).toBeUndefined();
    expect(numeric!.durationMs).toBeUndefined();
    expect(otherSession!.response).toBeUndefined();
    expect(serverRequest!.response).toBeUndefined();
  });

  it("links the client's response to a server request, and both to the client request they belong to", () => {
    const store = storeWith([
      request(5, 'tools/call'),
      message({ direction: 'server-to-client', kind: 'request', id: 0, method: 'sampling/createMessage', relatedRequestId: 5 }),
      message({ direction: 'client-to-server', kind: 'response', id: 0, durationMs: 40 }),
      progress(5),
      response(5),
    ]);
    const [call, sampling, samplingAnswer, note, answer] = shown(store);
    expect(sampling!.parent).toBe(call);
    expect(samplingAnswer!.request).toBe(sampling);
    expect(samplingAnswer!.method).toBe('sampling/createMessage');
    expect(samplingAnswer!.parent).toBe(call);
    expect(sampling!.durationMs).toBe(40);
    expect(note!.parent).toBe(call);
    expect(call!.related).toEqual([sampling, note]);
    expect(answer!.request).toBe(call);
  });

  it('a selected message highlights its request, that response and the related messages', () => {
    const store = storeWith([request(5, 'tools/call'), progress(5), request(6, 'ping'), progress(5), response(6), response(5), progress(99)]);
    const [call, first, ping, second, pong, answer, stray] = shown(store);
    const group = new Set([call, first, second, answer]);
    for (const member of group) expect(groupOf(member!)).toEqual(group);
    expect(groupOf(ping!)).toEqual(new Set([ping, pong]));
    expect(groupOf(stray!)).toEqual(new Set([stray]));
  });
});

describe('filters', () => {
  const traffic = () => [
    request(1, 'tools/call', { body: { params: { name: 'echo', arguments: { text: 'Needle in Haystack' } } } }),
    progress(1),
    response(1, { isError: true }),
    request(2, 'tools/list', { server: 'beta', sessionId: 's2' }),
    response(2, { server: 'beta', sessionId: 's2' }),
    request('abc-7', 'resources/read'),
    message({ direction: 'client-to-server', kind: 'notification', method: 'notifications/initialized' }),
  ];

  it('shows everything without a filter', () => {
    expect(seqs(storeWith(traffic()))).toHaveLength(7);
  });

  it('by server, method (responses by their request), direction and errors', () => {
    const store = storeWith(traffic());
    const first = shown(store)[0]!.event.seq;
    const at = (...offsets: number[]) => offsets.map((offset) => first + offset);
    store.setFilter({ server: 'beta' });
    expect(seqs(store)).toEqual(at(3, 4));
    store.setFilter({ server: '', method: 'tools/call' });
    expect(seqs(store)).toEqual(at(0, 2));
    store.setFilter({ method: '', direction: 'server-to-client' });
    expect(seqs(store)).toEqual(at(1, 2, 4));
    store.setFilter({ direction: 'client-to-server' });
    expect(seqs(store)).toEqual(at(0, 3, 5, 6));
    store.setFilter({ direction: '', errorsOnly: true });
    expect(seqs(store)).toEqual(at(0, 2));
  });

  it('free text searches method, id and body, case-insensitively', () => {
    const store = storeWith(traffic());
    const first = shown(store)[0]!.event.seq;
    store.setFilter({ text: 'needle in' });
    expect(seqs(store)).toEqual([first]);
    store.setFilter({ text: '  RESOURCES/' });
    expect(seqs(store)).toEqual([first + 5]);
    store.setFilter({ text: 'abc-7' });
    expect(seqs(store)).toEqual([first + 5]);
    store.setFilter({ text: 'initialized' });
    expect(seqs(store)).toEqual([first + 6]);
  });

  it('combines filters, and widening brings messages back', () => {
    const store = storeWith(traffic());
    const first = shown(store)[0]!.event.seq;
    store.setFilter({ server: 'alpha', direction: 'server-to-client', text: 'progress' });
    expect(seqs(store)).toEqual([first + 1]);
    store.setFilter({ text: 'progres' });
    expect(seqs(store)).toEqual([first + 1]);
    store.setFilter({ direction: '', text: '' });
    expect(seqs(store)).toEqual([0, 1, 2, 5, 6].map((offset) => first + offset));
  });

  it('applies the filter to messages arriving later', () => {
    const store = storeWith([], undefined);
    store.setFilter({ method: 'tools/call' });
    store.ingestMany([request(1, 'tools/call'), request(2, 'ping'), response(2), response(1)]);
    expect(shown(store).map((entry) => entry.event.kind)).toEqual(['request', 'response']);
  });

  it('with errors only, a request appears in place once its error response arrives', () => {
    const store = storeWith([request(1, 'tools/call'), request(2, 'tools/call')]);
    store.setFilter({ errorsOnly: true });
    expect(shown(store)).toEqual([]);
    store.ingestMany([response(2, { isError: true }), request(3, 'ping'), response(1, { isError: true })]);
    expect(shown(store).map((entry) => [entry.event.kind, entry.event.id])).toEqual([
      ['request', 1],
      ['request', 2],
      ['response', 2],
      ['response', 1],
    ]);
  });

  it('searches only the first SEARCHABLE_BODY_CHARS of a body, and nothing of a truncated one', () => {
    const long = 'x'.repeat(SEARCHABLE_BODY_CHARS);
    const store = storeWith([
      request(1, 'tools/call', { body: { text: `${long} lateword` } }),
      request(2, 'tools/call', { body: { text: 'earlyword' } }),
      request(3, 'tools/call', { body: undefined, truncated: true }),
    ]);
    store.setFilter({ text: 'lateword' });
    expect(store.shown.length).toBe(0);
    store.setFilter({ text: 'earlyword' });
    expect(store.shown.length).toBe(1);
    store.setFilter({ text: 'tools/call' });
    expect(store.shown.length).toBe(3);
  });

  it('lists the servers and methods seen', () => {
    const store = storeWith(traffic());
    expect(store.servers()).toEqual(['alpha', 'beta']);
    expect(store.methods()).toEqual(['notifications/initialized', 'notifications/progress', 'resources/read', 'tools/call', 'tools/list']);
  });
});

describe('cap', () => {
  it('drops the oldest over the cap, counts them, and keeps the shown list in step', () => {
    const events = Array.from({ length: 250 }, (_, index) => request(index + 1, index % 2 === 0 ? 'even' : 'odd'));
    const store = storeWith([], MIN_CAP);
    store.setFilter({ method: 'even' });
    store.ingestMany(events);
    expect(store.total).toBe(MIN_CAP);
    expect(store.dropped).toBe(150);
    expect(store.shown.length).toBe(50);
    expect(shown(store)[0]!.event.id).toBe(151);
    store.setFilter({ method: '' });
    expect(store.shown.length).toBe(MIN_CAP);
    expect(shown(store)[0]!.event.id).toBe(151);
  });

  it('a response whose request was dropped stays unlinked; lowering the cap drops at once; Clear resets the count', () => {
    const store = storeWith([request(1, 'tools/call'), ...Array.from({ length: MIN_CAP }, (_, index) => progress(1, { seq: 10_000 + index }))], MIN_CAP);
    expect(store.dropped).toBe(1);
    store.setCap(MIN_CAP + 10);
    store.ingest(response(1));
    const answer = shown(store).at(-1)!;
    expect(answer.request).toBeUndefined();
    expect(answer.method).toBeUndefined();
    expect(store.total).toBe(MIN_CAP + 1);
    store.setCap(MIN_CAP);
    expect(store.total).toBe(MIN_CAP);
    expect(store.dropped).toBe(2);
    store.clear();
    expect([store.total, store.dropped, store.shown.length]).toEqual([0, 0, 0]);
  });

  it('also drops the oldest when the kept bodies go over the byte budget', () => {
    const big = (id: number) => request(id, 'tools/call', { size: 40_000, body: { text: 'y'.repeat(100) } });
    const store = new TimelineStore({ byteBudget: 100_000, schedule: (notify) => notify() });
    store.ingestMany([big(1), big(2)]);
    expect([store.total, store.dropped]).toEqual([2, 0]);
    store.ingest(big(3));
    expect([store.total, store.dropped]).toEqual([2, 1]);
    expect(shown(store)[0]!.event.id).toBe(2);
    expect(store.bytes).toBeLessThanOrEqual(100_000);
    // A truncated message's body is not kept, and weighs only its search text.
    store.ingestMany(Array.from({ length: 50 }, (_, index) => request(100 + index, 'tools/call', { size: 900_000, body: undefined, truncated: true })));
    expect(store.total).toBe(52);
  });

  it('keeps the cap within bounds', () => {
    const store = new TimelineStore();
    expect(store.cap).toBe(DEFAULT_CAP);
    store.setCap(5);
    expect(store.cap).toBe(MIN_CAP);
    store.setCap(1e12);
    expect(store.cap).toBe(MAX_CAP);
    store.setCap(Number.NaN);
    expect(store.cap).toBe(DEFAULT_CAP);
  });

  it('handles 100,000 synthetic messages at the default cap, and drops what goes over', () => {
    const { events, summary } = syntheticMessages(DEFAULT_CAP + 500);
    const store = storeWith(events);
    expect(store.total).toBe(DEFAULT_CAP);
    expect(store.dropped).toBe(500);
    store.setFilter({ text: 'echo-004242' });
    expect(shown(store).map((entry) => entry.event.kind)).toEqual(['request', 'response']);
    store.setFilter({ text: '', errorsOnly: true });
    // The first 500 messages (about 185 calls) are gone, and with them their error calls.
    const keptErrors = events.slice(500).filter((event) => event.kind === 'response' && event.isError).length;
    expect(store.shown.length).toBe(2 * keptErrors);
    expect(keptErrors).toBeLessThan(summary.errorCalls);
  });
});

describe('announcing', () => {
  it('announces a batch of arrivals once, user actions at once', () => {
    vi.useFakeTimers();
    try {
      const store = new TimelineStore();
      const listener = vi.fn();
      store.subscribe(listener);
      store.ingest(request(1, 'a'));
      store.ingest(request(2, 'b'));
      expect(listener).not.toHaveBeenCalled();
      const version = store.getVersion();
      vi.advanceTimersByTime(60);
      expect(listener).toHaveBeenCalledTimes(1);
      store.setFilter({ text: 'a' });
      expect(listener).toHaveBeenCalledTimes(2);
      expect(store.getVersion()).toBeGreaterThan(version);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('export', () => {
  it('exports the shown messages with what the timeline knows of them', () => {
    const store = storeWith([request(1, 'tools/call', { at: Date.UTC(2025, 4, 1, 10, 0, 0, 42) }), progress(1), response(1, { durationMs: 9, isError: true }), request(2, 'ping')]);
    store.setFilter({ method: 'tools/call' });
    const exported = buildExport(shown(store), store.filter, new Date(Date.UTC(2025, 4, 1, 10, 1)));
    expect(exported).toMatchObject({ format: 'mcp-patchbay-timeline', version: 1, exportedAt: '2025-05-01T10:01:00.000Z', count: 2 });
    expect(exported.filter.method).toBe('tools/call');
    expect(exported.messages[0]).toEqual({
      seq: shown(store)[0]!.event.seq,
      time: '2025-05-01T10:00:00.042Z',
      at: Date.UTC(2025, 4, 1, 10, 0, 0, 42),
      server: 'alpha',
      sessionId: 's1',
      direction: 'client-to-server',
      kind: 'request',
      method: 'tools/call',
      id: 1,
      size: 100,
      durationMs: 9,
      isError: true,
      status: 'error',
      body: { jsonrpc: '2.0', id: 1, method: 'tools/call', params: {} },
    });
    expect(exported.messages[1]).toMatchObject({ kind: 'response', method: 'tools/call', durationMs: 9, isError: true });
    // It survives a round trip through JSON (the file).
    expect(JSON.parse(JSON.stringify(exported))).toEqual(exported);
  });

  it('marks a truncated body and leaves pending requests without error or duration', () => {
    const store = storeWith([request(1, 'tools/call', { body: undefined, truncated: true, size: 999_999 })]);
    const [only] = buildExport(shown(store), store.filter, new Date()).messages;
    expect(only).toMatchObject({ truncated: true, size: 999_999 });
    expect(only).not.toHaveProperty('body');
    expect(only).not.toHaveProperty('isError');
    expect(only).not.toHaveProperty('durationMs');
  });

  it('names the file with the local date and time', () => {
    expect(exportFileName(new Date(2025, 0, 2, 3, 4, 5))).toBe('patchbay-timeline-2025-01-02T03-04-05.json');
  });
});

describe('EntryDeque', () => {
  it('drops from the front, compacts, and finds and inserts by ordinal', () => {
    const deque = new EntryDeque<{ ordinal: number }>();
    for (let ordinal = 1; ordinal <= 5000; ordinal += 2) deque.push({ ordinal });
    for (let count = 0; count < 2000; count += 1) deque.shift();
    expect(deque.length).toBe(500);
    expect(deque.first()!.ordinal).toBe(4001);
    expect(deque.indexOfOrdinal(4003)).toBe(1);
    expect(deque.indexOfOrdinal(4002)).toBe(-1);
    deque.insertInOrder({ ordinal: 4002 });
    deque.insertInOrder({ ordinal: 4002 });
    expect(deque.toArray().slice(0, 3).map((item) => item.ordinal)).toEqual([4001, 4002, 4003]);
    expect(deque.last()!.ordinal).toBe(4999);
    expect(deque.at(-1)).toBeUndefined();
  });
});

describe('how each request ended', () => {
  const cancel = (requestId: number | string, extra: Partial<MessageEvent> = {}) =>
    message({
      direction: 'client-to-server',
      kind: 'notification',
      method: 'notifications/cancelled',
      body: { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId, reason: 'The user pressed Cancel' } },
      ...extra,
    });
  const closing = (sessionId: string, at: number): SessionEndEvent => ({
    type: 'session-closing',
    seq: ++seq,
    at,
    sessionId,
    server: 'alpha',
    reason: 'child-exited',
    detail: 'exited with code 3',
  });
  const toolError = (id: number) =>
    response(id, { body: { jsonrpc: '2.0', id, result: { isError: true, content: [{ type: 'text', text: 'boom' }] } } });

  it('marks a cancelled request with the time of the cancel and its reason, not as an error', () => {
    const store = storeWith([request(1, 'tools/call'), request(2, 'tools/call')]);
    const cancelled = cancel(1);
    store.ingest(cancelled);
    const [first, second] = shown(store);
    expect(requestStatus(first!)).toBe('cancelled');
    expect(first!.outcome).toEqual({ kind: 'cancelled', at: cancelled.at, reason: 'The user pressed Cancel' });
    expect(first!.isError).toBe(false);
    expect(requestStatus(second!)).toBe('pending');
    // A cancel from the server names a server request, not the client's request with the same id.
    store.ingest(cancel(2, { direction: 'server-to-client' }));
    expect(requestStatus(second!)).toBe('pending');
  });

  it('a cancel stays the status when a late answer arrives, which is still linked', () => {
    const store = storeWith([request(1, 'tools/call'), cancel(1), response(1)]);
    const [call, , late] = shown(store);
    expect(call!.response).toBe(late);
    expect(requestStatus(call!)).toBe('cancelled');
  });

  it("fails every request still waiting when its session ends, with the reason, and leaves other sessions' alone", () => {
    const store = storeWith([request(1, 'tools/call'), request(2, 'tools/list'), response(2), request(3, 'ping', { sessionId: 's2' }), request(4, 'ping'), cancel(4)]);
    const end = closing('s1', 1_800_000_000_000);
    store.endSession(end);
    const [call, list, , otherSession, ping] = shown(store);
    expect(call!.outcome).toEqual({ kind: 'session-ended', at: end.at, reason: 'the server process of "alpha" ended: exited with code 3' });
    expect(call!.isError).toBe(true);
    expect(requestStatus(list!)).toBe('ok');
    expect(requestStatus(ping!)).toBe('cancelled');
    expect(requestStatus(otherSession!)).toBe('pending');
    // A second end event (closed after closing) changes nothing.
    store.endSession({ ...closing('s1', end.at + 5), type: 'session-closed', reason: 'client-deleted' });
    expect(call!.outcome).toMatchObject({ at: end.at });
    expect(shown(store).filter((entry) => entry.event.kind === 'request' && requestStatus(entry) === 'pending')).toEqual([otherSession]);
  });

  it('"Errors only" shows a tool result with isError and its request, and a request failed by its session, in place', () => {
    const store = storeWith([request(1, 'tools/call'), request(2, 'tools/call'), request(3, 'ping'), response(3)]);
    store.setFilter({ errorsOnly: true });
    expect(shown(store)).toEqual([]);
    store.ingest(toolError(1));
    expect(shown(store).map((entry) => [entry.event.kind, entry.event.id])).toEqual([
      ['request', 1],
      ['response', 1],
    ]);
    expect(requestStatus(shown(store)[0]!)).toBe('tool-error');
    expect(shown(store)[1]!.toolError).toBe(true);
    store.endSession(closing('s1', 1_800_000_000_000));
    expect(shown(store).map((entry) => [entry.event.kind, entry.event.id])).toEqual([
      ['request', 1],
      ['request', 2],
      ['response', 1],
    ]);
  });

  it('after a new snapshot, ends the requests of sessions it no longer lists, but not of sessions newer than it', () => {
    const store = storeWith([request(1, 'tools/call'), request(2, 'tools/call', { sessionId: 's2' })]);
    const snapshotSeq = seq;
    store.ingest(request(3, 'tools/call', { sessionId: 's3' }));
    store.endSessionsMissingFrom(new Set(['s2']), snapshotSeq, 1_800_000_000_000);
    const [gone, live, newer] = shown(store);
    expect(requestStatus(gone!)).toBe('session-ended');
    expect(gone!.outcome?.reason).toContain('alpha');
    expect(requestStatus(live!)).toBe('pending');
    expect(requestStatus(newer!)).toBe('pending');
  });

  it('after a new snapshot, leaves a modern request pending: its channel is not a session the snapshot could list', () => {
    const store = storeWith([request(1, 'tools/call', { sessionId: 'modern:alpha', era: 'modern' })]);
    store.endSessionsMissingFrom(new Set(), seq, 1_800_000_000_000);
    expect(requestStatus(shown(store)[0]!)).toBe('pending');
  });

  it('exports each request with its status, and when and why it ended', () => {
    const store = storeWith([request(1, 'tools/call'), cancel(1), request(2, 'tools/call'), toolError(2), request(3, 'ping')]);
    store.endSession(closing('s1', Date.UTC(2025, 4, 1, 10, 0, 0, 0)));
    const exported = buildExport(shown(store), store.filter, new Date()).messages.filter((entry) => entry.kind === 'request');
    expect(exported.map((entry) => entry.status)).toEqual(['cancelled', 'tool-error', 'session-ended']);
    expect(exported[0]).toMatchObject({ isError: false, endReason: 'The user pressed Cancel' });
    expect(exported[2]).toMatchObject({ isError: true, endedAt: '2025-05-01T10:00:00.000Z', endReason: expect.stringContaining('exited with code 3') });
  });
});

describe('injected faults', () => {
  it('a dropped, corrupted or cut response does not answer its request: it waits on, and a cancel still ends it', () => {
    const store = storeWith([
      request(1, 'tools/call'),
      response(1, { injected: 'drop' }),
      request(2, 'tools/call'),
      response(2, { injected: 'corrupt' }),
      request(3, 'tools/call'),
      response(3, { injected: 'close-stream' }),
      request(4, 'tools/call'),
      response(4, { injected: 'delay' }),
    ]);
    const entries = shown(store);
    for (const index of [0, 2, 4]) {
      expect(requestStatus(entries[index]!)).toBe('pending');
      expect(entries[index + 1]!.method).toBe('tools/call');
    }
    // A delayed response did arrive: it answers its request.
    expect(requestStatus(entries[6]!)).toBe('ok');
    store.ingest(message({ direction: 'client-to-server', kind: 'notification', method: 'notifications/cancelled', body: { params: { requestId: 1 } } }));
    expect(requestStatus(entries[0]!)).toBe('cancelled');
  });

  it('a duplicate is a row of its own and leaves the first answer in place', () => {
    const store = storeWith([request(1, 'tools/call'), response(1), response(1, { injected: 'duplicate' })]);
    const [call, answer, copy] = shown(store);
    expect(call!.response).toBe(answer);
    expect(copy!.request).toBeUndefined();
  });

  it('a kill or a stall gets a row marked injected; other faults mark their messages only; Injected faults only shows them', () => {
    const store = storeWith([request(1, 'tools/call'), response(1), request(2, 'tools/call', { injected: 'drop' })]);
    const fault = (kind: 'kill' | 'drop') => ({
      type: 'fault-injected' as const,
      seq: ++seq,
      at: 1_700_000_000_000 + seq,
      sessionId: 's1',
      server: 'alpha',
      era: 'legacy' as const,
      kind,
      direction: 'client-to-server' as const,
      method: 'tools/call',
      id: 2,
      detail: `injected ${kind}: it happened`,
      seed: 7,
    });
    store.ingestFault(fault('kill'));
    store.ingestFault(fault('drop'));
    expect(store.total).toBe(4);
    const killRow = shown(store)[3]!;
    expect(killRow.fault?.kind).toBe('kill');
    expect(killRow.event.injected).toBe('kill');
    expect(killRow.method).toBe('tools/call');
    store.setFilter({ injectedOnly: true });
    expect(shown(store).map((entry) => entry.event.injected)).toEqual(['drop', 'kill']);
  });
});
