/**
 * The load generator of the throughput ceiling (bench/ceiling.ts), a process of its own so that its work never
 * lands on the bench's loop or the proxy's, and its CPU time is its own. Started by measurements/ceiling.ts with
 * `node --import tsx`; takes one `CeilingJob` over IPC, answers one `CeilingLoadResult` and exits.
 *
 * Through the proxy it speaks raw keep-alive HTTP with undici's Pool (one connection per call in flight), not the
 * SDK's client: the SDK client costs more CPU per call than the proxy itself now does, so with it the figure would
 * be the client's. Streamable HTTP: an initialize POST, notifications/initialized, then `tools/call echo` POSTs,
 * each answer read from its SSE body. HTTP+SSE: the GET event stream (read with eventsource-parser, the proxy's own
 * SSE reader) and the POSTs to its endpoint, answers matched by id. Direct stdio is the SDK's client and stdio
 * transport straight to a fixture child, the baseline the proxy is compared with.
 * What is cheap on the client side: one undici Pool request per call (no fetch, no Headers object, no WHATWG stream)
 * costs about a third of the SDK client's CPU per call; a runner that must not measure itself wants that.
 */
import { performance } from 'node:perf_hooks';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { createParser } from 'eventsource-parser';
import { Pool } from 'undici';
import { firstText } from './clients';
import { errorText, withTimeout } from './guard';
import { summarize, type LatencySummary } from './stats';

/** The ways to the fixture the ceiling measures. */
export type CeilingMode = 'direct-stdio' | 'streamable' | 'sse';

/** From the load process to the bench: the edges of the timed window, then the outcome. */
export type LoadMessage = { type: 'window'; edge: 'start' | 'end' } | { type: 'done'; ok: true; value: CeilingLoadResult } | { type: 'done'; ok: false; error: string };

/** What the load process is asked to do. */
export interface CeilingJob {
  mode: CeilingMode;
  /** The fixture's endpoint through the proxy (streamable: …/mcp, sse: …/sse); unused for direct stdio. */
  url?: string;
  token?: string;
  /** The fixture script, for direct stdio. */
  fixturePath: string;
  sessions: number;
  /** Calls in flight per session, each a closed loop (the next call when the previous answers). */
  inFlight: number;
  warmupMs: number;
  durationMs: number;
  callTimeoutMs: number;
}

export interface CeilingLoadResult {
  calls: number;
  errors: number;
  firstError?: string;
  durationMs: number;
  latency: LatencySummary;
  /** CPU time of the load process over the timed window (user + system), ms. */
  loadCpuMs: number;
}

/** One session that can call echo with a given id and text and resolve once the right answer arrived. */
interface LoadSession {
  call(id: number, text: string): Promise<void>;
  close(): Promise<void>;
}

const PROTOCOL_VERSION = '2025-11-25';
const INITIALIZE = (id: number) => ({
  jsonrpc: '2.0',
  id,
  method: 'initialize',
  params: { protocolVersion: PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: 'patchbay-bench-ceiling', version: '0.0.0' } },
});
const echoCall = (id: number, text: string) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'echo', arguments: { text } } });

function checkEcho(message: { id?: unknown; result?: unknown; error?: { message?: string } } | undefined, id: number, text: string): void {
  if (!message) throw new Error(`no answer to call ${id}`);
  if (message.error) throw new Error(`call ${id}: ${message.error.message ?? 'error'}`);
  if (message.id !== id || firstText(message.result) !== `echo: ${text}`) throw new Error(`call ${id} answered ${JSON.stringify(message).slice(0, 120)}`);
}

/** The JSON-RPC messages of an SSE body read whole. */
function sseMessages(body: string): Array<{ id?: unknown; result?: unknown; error?: { message?: string } }> {
  const messages: Array<{ id?: unknown; result?: unknown }> = [];
  const parser = createParser({ onEvent: (event) => void (event.data && messages.push(JSON.parse(event.data) as { id?: unknown })) });
  parser.feed(body);
  return messages;
}

async function streamableSession(pool: Pool, url: URL, token: string, timeoutMs: number): Promise<LoadSession> {
  const base = { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
  const post = async (headers: Record<string, string>, body: unknown) => {
    const response = await pool.request({ path: url.pathname, method: 'POST', headers, body: JSON.stringify(body), headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
    return { status: response.statusCode, sessionId: response.headers['mcp-session-id'], text: await response.body.text() };
  };
  const opened = await post(base, INITIALIZE(0));
  if (opened.status !== 200 || typeof opened.sessionId !== 'string') throw new Error(`initialize answered HTTP ${opened.status}: ${opened.text.slice(0, 200)}`);
  const headers = { ...base, 'mcp-session-id': opened.sessionId, 'mcp-protocol-version': PROTOCOL_VERSION };
  const initialized = await post(headers, { jsonrpc: '2.0', method: 'notifications/initialized' });
  if (initialized.status !== 202) throw new Error(`notifications/initialized answered HTTP ${initialized.status}`);
  return {
    call: async (id, text) => {
      const answer = await post(headers, echoCall(id, text));
      if (answer.status !== 200) throw new Error(`call ${id} answered HTTP ${answer.status}: ${answer.text.slice(0, 200)}`);
      checkEcho(sseMessages(answer.text).find((message) => message.id === id), id, text);
    },
    close: async () => {
      const response = await pool.request({ path: url.pathname, method: 'DELETE', headers, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
      await response.body.text();
    },
  };
}

async function sseSession(pool: Pool, url: URL, token: string, timeoutMs: number): Promise<LoadSession> {
  const auth = { authorization: `Bearer ${token}` };
  const waiting = new Map<number, (message: { id?: unknown; result?: unknown; error?: { message?: string } }) => void>();
  const stream = await pool.request({ path: url.pathname, method: 'GET', headers: { ...auth, accept: 'text/event-stream' }, headersTimeout: timeoutMs, bodyTimeout: 0 });
  if (stream.statusCode !== 200) throw new Error(`the SSE stream answered HTTP ${stream.statusCode}`);
  let foundEndpoint!: (path: string) => void;
  const endpoint = new Promise<string>((resolve) => (foundEndpoint = resolve));
  const parser = createParser({
    onEvent: (event) => {
      if (event.event === 'endpoint') {
        const target = new URL(event.data, url);
        foundEndpoint(`${target.pathname}${target.search}`);
        return;
      }
      const message = JSON.parse(event.data) as { id?: unknown };
      if (typeof message.id === 'number') waiting.get(message.id)?.(message);
    },
  });
  const decoder = new TextDecoder();
  stream.body.on('data', (chunk: Buffer) => parser.feed(decoder.decode(chunk, { stream: true })));
  // The stream ends when the session does; a call still waiting then fails on its own timeout.
  stream.body.on('error', () => undefined);
  const path = await withTimeout(endpoint, timeoutMs, 'the SSE endpoint event');
  const post = async (body: { id?: number }): Promise<unknown> => {
    const answered = typeof body.id === 'number' ? new Promise((resolve) => waiting.set(body.id!, resolve)) : undefined;
    const response = await pool.request({ path, method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(body), headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
    const text = await response.body.text();
    if (response.statusCode !== 202) throw new Error(`POST answered HTTP ${response.statusCode}: ${text.slice(0, 200)}`);
    return answered && withTimeout(answered, timeoutMs, `the answer to call ${String(body.id)}`);
  };
  await post(INITIALIZE(0));
  await post({ jsonrpc: '2.0', method: 'notifications/initialized' } as { id?: number });
  return {
    call: async (id, text) => {
      const answer = (await post(echoCall(id, text))) as Parameters<typeof checkEcho>[0];
      waiting.delete(id);
      checkEcho(answer, id, text);
    },
    close: async () => void stream.body.destroy(),
  };
}

function stdioSession(fixturePath: string, timeoutMs: number): Promise<LoadSession> {
  const client = new Client({ name: 'patchbay-bench-ceiling', version: '0.0.0' });
  const transport = new StdioClientTransport({ command: process.execPath, args: [fixturePath], stderr: 'ignore' });
  return client.connect(transport, { timeout: timeoutMs }).then(() => ({
    call: async (_id, text) => {
      const result = await client.callTool({ name: 'echo', arguments: { text } }, undefined, { timeout: timeoutMs });
      if (firstText(result) !== `echo: ${text}`) throw new Error(`echo answered ${JSON.stringify(firstText(result))}`);
    },
    close: () => client.close(),
  }));
}

/** Opens the sessions, runs the warm-up and then the timed window, closes everything; bounded by call count too. */
export async function runLoad(job: CeilingJob, onWindow: (edge: 'start' | 'end') => void = () => undefined): Promise<CeilingLoadResult> {
  const url = job.url ? new URL(job.url) : undefined;
  const pool = url ? new Pool(url.origin, { connections: job.sessions * (job.inFlight + 1) + 2, pipelining: 1 }) : undefined;
  const open = (): Promise<LoadSession> => {
    if (job.mode === 'direct-stdio') return stdioSession(job.fixturePath, job.callTimeoutMs);
    if (!pool || !url || job.token === undefined) throw new Error('no endpoint given');
    return job.mode === 'streamable' ? streamableSession(pool, url, job.token, job.callTimeoutMs) : sseSession(pool, url, job.token, job.callTimeoutMs);
  };
  const sessions: LoadSession[] = [];
  let nextId = 1;
  let errors = 0;
  let firstError: string | undefined;
  const latencies: number[] = [];
  const maxCalls = 2_000_000;
  const loop = async (session: LoadSession, end: number, timed: boolean): Promise<void> => {
    while (performance.now() < end && nextId < maxCalls) {
      const id = nextId++;
      const started = performance.now();
      try {
        await session.call(id, `c${id}`);
        if (timed) latencies.push(performance.now() - started);
      } catch (error) {
        errors += 1;
        firstError ??= errorText(error);
        if (errors > 50) return; // broken, not slow
      }
    }
  };
  const window = (ms: number, timed: boolean) => {
    const end = performance.now() + ms;
    return Promise.all(sessions.flatMap((session) => Array.from({ length: job.inFlight }, () => loop(session, end, timed))));
  };
  try {
    const opened = await Promise.allSettled(Array.from({ length: job.sessions }, open));
    for (const outcome of opened) if (outcome.status === 'fulfilled') sessions.push(outcome.value);
    const failed = opened.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    if (failed) throw new Error(`${job.sessions - sessions.length} of ${job.sessions} sessions did not open: ${errorText(failed.reason)}`);
    await window(job.warmupMs, false);
    errors = 0;
    firstError = undefined;
    onWindow('start');
    const cpuBefore = process.cpuUsage();
    const start = performance.now();
    await window(job.durationMs, true);
    const durationMs = performance.now() - start;
    const cpu = process.cpuUsage(cpuBefore);
    onWindow('end');
    return { calls: latencies.length, errors, firstError, durationMs, latency: summarize(latencies), loadCpuMs: (cpu.user + cpu.system) / 1000 };
  } finally {
    await Promise.allSettled(sessions.map((session) => session.close()));
    await pool?.close();
  }
}

const tell = (message: LoadMessage, then: () => void = () => undefined): void => void process.send?.(message, undefined, {}, then);

process.once('message', (job: CeilingJob) => {
  runLoad(job, (edge) => tell({ type: 'window', edge })).then(
    (value) => tell({ type: 'done', ok: true, value }, () => process.exit(0)),
    (error: unknown) => tell({ type: 'done', ok: false, error: errorText(error) }, () => process.exit(0)),
  );
});
