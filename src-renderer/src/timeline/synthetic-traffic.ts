import type { MessageEvent } from '../../../src-shared/events';

/** What a synthetic run contains, to check filter results against. */
export interface SyntheticSummary {
  messages: number;
  /** tools/call requests; each one's arguments and result carry the unique text `echo-000042` (its number, 6 digits). */
  calls: number;
  /** Calls answered with a JSON-RPC error. */
  errorCalls: number;
  servers: string[];
}

export interface SyntheticOptions {
  /** First seq number (so a second batch continues the first). */
  firstSeq?: number;
  /** Wall-clock time of the first message. */
  startAt?: number;
  servers?: string[];
}

/** Every this many calls is answered with an error. */
const ERROR_EVERY = 17;
/** Every this many calls reports progress (two notifications related to it). */
const PROGRESS_EVERY = 5;

/**
 * Realistic, deterministic traffic for benchmarks and tests: tools/call requests over several servers, progress
 * notifications related to some of them, responses with durations (some errors), and now and then a log message.
 * Exactly `count` events are returned; the last call may be cut off before its response.
 */
export function syntheticMessages(count: number, options: SyntheticOptions = {}): { events: MessageEvent[]; summary: SyntheticSummary } {
  const servers = options.servers ?? ['alpha', 'beta', 'gamma', 'delta'];
  const startAt = options.startAt ?? Date.UTC(2025, 0, 1, 12, 0, 0);
  let seq = options.firstSeq ?? 1;
  const events: MessageEvent[] = [];
  const summary: SyntheticSummary = { messages: 0, calls: 0, errorCalls: 0, servers };
  const push = (event: Omit<MessageEvent, 'seq' | 'at' | 'type' | 'size'>) => {
    if (events.length >= count) return false;
    const at = startAt + events.length * 3;
    const size = event.body === undefined ? 64 : JSON.stringify(event.body).length;
    events.push({ type: 'message', seq: seq++, at, size, ...event });
    return true;
  };

  for (let call = 1; events.length < count; call += 1) {
    const server = servers[call % servers.length]!;
    const sessionId = `session-${server}`;
    const id = call;
    const token = `echo-${String(call).padStart(6, '0')}`;
    const base = { sessionId, server };
    const request = { jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'echo', arguments: { text: token }, _meta: { progressToken: call } } };
    if (!push({ ...base, direction: 'client-to-server', kind: 'request', method: 'tools/call', id, body: request })) break;
    summary.calls += 1;
    if (call % PROGRESS_EVERY === 0) {
      for (const progress of [1, 2]) {
        const notification = { jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: call, progress, total: 2 } };
        push({ ...base, direction: 'server-to-client', kind: 'notification', method: 'notifications/progress', relatedRequestId: id, body: notification });
      }
    }
    const failed = call % ERROR_EVERY === 0;
    const response = failed
      ? { jsonrpc: '2.0', id, error: { code: -32603, message: `could not echo ${token}` } }
      : { jsonrpc: '2.0', id, result: { content: [{ type: 'text', text: `echo: ${token}` }] } };
    if (!push({ ...base, direction: 'server-to-client', kind: 'response', id, durationMs: 1 + (call % 40), isError: failed, body: response })) break;
    if (failed) summary.errorCalls += 1;
    if (call % 50 === 0) {
      const log = { jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', logger: 'synthetic', data: `checkpoint ${call}` } };
      push({ ...base, direction: 'server-to-client', kind: 'notification', method: 'notifications/message', body: log });
    }
  }
  summary.messages = events.length;
  return { events, summary };
}
