import { request, type IncomingMessage } from 'node:http';
import type { HttpEndpoint } from '../clients';
import { BENCH } from '../config';
import { sleep, withTimeout } from '../guard';
import type { MemoryPeak, MemorySample } from '../proxy-ipc';
import type { Target } from '../target';

/** What a slow reader costs the relay while its server streams as fast as it can. */
export interface SlowReaderResult {
  /** What the server would stream, bytes. */
  streamedBytes: number;
  /** What the client read in the window, bytes. */
  readBytes: number;
  durationMs: number;
  /** GC'd reading before the session opened. */
  idle: MemorySample;
  /** Highest readings while the client read slowly (sampled without GC). */
  peak: MemoryPeak;
  heapAboveIdle: number;
  rssAboveIdle: number;
  /** Whether both stayed under BENCH.slowReader.limitBytes. */
  withinLimit: boolean;
  /** The proxy's own figures for the session, from /api/sessions at the end of the window. */
  backlogPeakBytes?: number;
  upstreamPaused?: boolean;
}

interface SessionSnapshotLike {
  id: string;
  clientBacklogPeakBytes?: number;
  upstreamPaused?: boolean;
}

/**
 * One Streamable HTTP session, spoken over node:http so that the client can read its response at a set pace:
 * it calls the fixture's `flood` tool (BENCH.slowReader.messages log messages of messageBytes each, sent as fast
 * as stdout takes them) and reads the answer stream at readBytesPerSecond for durationMs, while the relay samples
 * its own memory. Then it drops the stream and ends the session.
 */
export async function slowReader(target: Target): Promise<SlowReaderResult> {
  const settings = BENCH.slowReader;
  if (!target.memoryPeak) throw new Error(`${target.label} cannot sample its peak memory`);
  const idle = await target.memory();
  const session = await openSession(target.streamable);
  let response: IncomingMessage | undefined;
  try {
    await target.memoryPeak.start();
    const started = Date.now();
    response = await session.post({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'flood', arguments: { count: settings.messages, bytes: settings.messageBytes } } });
    response.pause();
    const tickMs = 100;
    const perTick = Math.max(1, Math.round((settings.readBytesPerSecond * tickMs) / 1000));
    let readBytes = 0;
    while (Date.now() - started < settings.durationMs && !response.readableEnded) {
      await sleep(tickMs);
      const available = Math.min(perTick, response.readableLength);
      const chunk = available > 0 ? (response.read(available) as Buffer | string | null) : response.read(0);
      if (chunk) readBytes += chunk.length;
    }
    const durationMs = Date.now() - started;
    const snapshot = await session.snapshot();
    const peak = await target.memoryPeak.stop();
    const heapAboveIdle = peak.heapUsed - (idle.heapUsed ?? 0);
    const rssAboveIdle = peak.rss - idle.rss;
    return {
      streamedBytes: settings.messages * settings.messageBytes,
      readBytes,
      durationMs,
      idle,
      peak,
      heapAboveIdle,
      rssAboveIdle,
      withinLimit: heapAboveIdle < settings.limitBytes && rssAboveIdle < settings.limitBytes,
      backlogPeakBytes: snapshot?.clientBacklogPeakBytes,
      upstreamPaused: snapshot?.upstreamPaused,
    };
  } finally {
    response?.destroy();
    await withTimeout(session.close(), 10_000, 'closing the slow session').catch(() => undefined);
  }
}

async function openSession(endpoint: HttpEndpoint) {
  const state: { sessionId?: string } = {};
  const headers = (): Record<string, string> => ({
    ...endpoint.headers,
    'Content-Type': 'application/json',
    Accept: 'application/json, text/event-stream',
    ...(state.sessionId ? { 'Mcp-Session-Id': state.sessionId, 'Mcp-Protocol-Version': '2025-06-18' } : {}),
  });
  const send = (method: string, body?: unknown): Promise<IncomingMessage> =>
    new Promise((resolve, reject) => {
      const outgoing = request(endpoint.url, { method, headers: headers(), agent: false }, resolve);
      outgoing.on('error', reject);
      outgoing.end(body === undefined ? undefined : JSON.stringify(body));
    });
  const drain = async (response: IncomingMessage): Promise<string> => {
    let text = '';
    for await (const chunk of response) text += String(chunk);
    return text;
  };
  const initialize = await send('POST', {
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'patchbay-bench-slow-reader', version: '0.0.0' } },
  });
  const sessionId = initialize.headers['mcp-session-id'] as string | undefined;
  state.sessionId = sessionId;
  if (!sessionId) throw new Error(`initialize answered HTTP ${initialize.statusCode} without a session id`);
  await drain(initialize);
  const initialized = await send('POST', { jsonrpc: '2.0', method: 'notifications/initialized' });
  await drain(initialized);
  return {
    post: (body: unknown) => send('POST', body),
    snapshot: async (): Promise<SessionSnapshotLike | undefined> => {
      const response = await fetch(new URL('/api/sessions', endpoint.url), { headers: endpoint.headers });
      if (!response.ok) return undefined;
      const { sessions } = (await response.json()) as { sessions: SessionSnapshotLike[] };
      return sessions.find((session) => session.id === sessionId);
    },
    close: async () => {
      await drain(await send('DELETE'));
    },
  };
}
