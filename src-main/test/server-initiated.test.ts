import { ListRootsRequestSchema, LoggingMessageNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientTransportKind } from '../../src-shared/catalog';
import {
  connectClient,
  expectNothingLeft,
  firstText,
  fixtureEntry,
  readSseEvents,
  startTestProxy,
  streamableHeaders,
  waitFor,
  type TestClient,
  type TestProxy,
} from './helpers';

// Servers that speak first: server-filesystem asks for the client's roots the instant it is initialized, before a
// Streamable HTTP client has had the time to open its standalone GET stream.
const EAGER = fixtureEntry('eager', { FIXTURE_ROOTS_ON_INIT: '1' });

interface RootsOutcome {
  label: string;
  state: 'pending' | 'answered' | 'error';
  roots?: string[];
  error?: string;
}

let proxy: TestProxy;

beforeAll(async () => {
  // Generous: 30 clients connecting on a loaded machine may take seconds to open their streams.
  proxy = await startTestProxy([EAGER], { session: { standaloneStreamWaitMs: 60_000 } });
});

afterAll(async () => {
  await proxy?.close();
});

describe('a server that sends the instant it is initialized', () => {
  for (const kind of ['streamable-http', 'sse'] as ClientTransportKind[]) {
    it(`reaches each of 30 ${kind} clients connecting at the same instant, and hears every answer`, async () => {
      const asked = Array.from({ length: 30 }, () => 0);
      const logs: string[][] = Array.from({ length: 30 }, () => []);
      const outcomes = await Promise.allSettled(
        asked.map((_, index) =>
          connectClient(proxy, 'eager', kind, {
            capabilities: { roots: { listChanged: false } },
            prepare: (client) => {
              client.setRequestHandler(ListRootsRequestSchema, () => {
                asked[index]! += 1;
                return { roots: [{ uri: `file:///client-${index}`, name: `client ${index}` }] };
              });
              client.setNotificationHandler(LoggingMessageNotificationSchema, (notification) => {
                logs[index]!.push(String(notification.params.data));
              });
            },
          }),
        ),
      );
      const connections = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
      try {
        expect(outcomes.flatMap((outcome, index) => (outcome.status === 'rejected' ? [`${index}: ${String(outcome.reason)}`] : []))).toEqual([]);
        await waitFor(() => asked.every((count) => count === 1), `every client to be asked for its roots (asked: ${asked.join(',')})`, 30_000);
        await waitFor(() => logs.every((lines) => lines.includes('initialized')), 'every client to get the start-up log message', 30_000);
        // The server heard every answer: each session's own roots, nothing pending, nothing crossed.
        const heard = await Promise.all(connections.map((connection) => rootsOutcomes(connection)));
        heard.forEach((outcome, index) => expect(outcome).toEqual([{ label: 'initialized', state: 'answered', roots: [`file:///client-${index}`] }]));
      } finally {
        await Promise.all(connections.map((connection) => connection.close()));
      }
      await expectNothingLeft(proxy);
    });
  }
});

describe('a Streamable HTTP client that never opens its standalone stream', () => {
  let shortWait: TestProxy;

  beforeAll(async () => {
    shortWait = await startTestProxy([EAGER], { session: { standaloneStreamWaitMs: 500 } });
  });

  afterAll(async () => {
    await shortWait?.close();
  });

  it("gets the server's start-up request held, then answered to the server with an error that says why", async () => {
    const session = await openRawSession(shortWait, 'eager');
    const askedForRoots = (count: number) => serverAskedForRoots(shortWait, session, count);
    try {
      await askedForRoots(1);
      const started = await pollOutcome(session, (outcomes) => outcomes[0]?.state !== 'pending');
      expect(started[0]).toMatchObject({ label: 'initialized', state: 'error' });
      expect(started[0]!.error).toContain('has no stream for server requests');
      const reported = shortWait.events.filter((event) => event.type === 'session-error' && event.sessionId === session.id);
      expect(reported.map((event) => (event.type === 'session-error' ? event.message : ''))).toContainEqual(
        expect.stringContaining('could not deliver roots/list to the client: the client has no stream for server requests'),
      );

      // Later server requests with no stream to go to are answered at once, so the server never waits forever.
      expect(await session.callTool('roots-later', { delayMs: 0 })).toBe('scheduled');
      await askedForRoots(2);
      const later = await pollOutcome(session, (outcomes) => outcomes.length === 2 && outcomes[1]!.state !== 'pending');
      expect(later[1]).toMatchObject({ label: 'later', state: 'error' });
      expect(later[1]!.error).toContain('has no stream for server requests');
    } finally {
      await session.close();
    }
    await expectNothingLeft(shortWait);
  });
});

describe('messages held for a standalone stream', () => {
  let tiny: TestProxy;

  beforeAll(async () => {
    tiny = await startTestProxy([EAGER], { session: { standaloneStreamWaitMs: 60_000, standaloneHoldMaxMessages: 1 } });
  });

  afterAll(async () => {
    await tiny?.close();
  });

  it('are bounded: past the cap a server request is answered with an error; what was held arrives once the stream opens', async () => {
    const session = await openRawSession(tiny, 'eager');
    try {
      await serverAskedForRoots(tiny, session, 1);
      // The server sends its log message, then asks for the roots: the first is held, the request is past the cap.
      const started = await pollOutcome(session, (outcomes) => outcomes[0] !== undefined && outcomes[0].state !== 'pending');
      expect(started[0]).toMatchObject({ label: 'initialized', state: 'error' });
      expect(started[0]!.error).toContain('the client has no stream for server requests yet, and 1 message');

      const stream = await fetch(`${tiny.url}/servers/eager/mcp`, { headers: { ...streamableHeaders(tiny, session.id), Accept: 'text/event-stream' } });
      expect(stream.status).toBe(200);
      const events = await readSseEvents(stream, (seen) => seen.length > 0);
      expect(JSON.parse(events[0]!.data)).toMatchObject({ method: 'notifications/message', params: { data: 'initialized' } });
    } finally {
      await session.close();
    }
    await expectNothingLeft(tiny);
  });
});

/**
 * Over stdio nothing links a server request to a client request, so the proxy sends it with the newest one still
 * open: no call may be in flight when the server asks, or the request would ride on that call's stream. Tests
 * wait until the proxy has seen the server ask before they call anything.
 */
function serverAskedForRoots(target: TestProxy, session: RawSession, count: number): Promise<void> {
  return waitFor(
    () => target.events.filter((event) => event.type === 'message' && event.sessionId === session.id && event.method === 'roots/list').length === count,
    `the server to ask for the roots (${count})`,
  );
}

async function rootsOutcomes(connection: TestClient): Promise<RootsOutcome[]> {
  return JSON.parse(firstText(await connection.client.callTool({ name: 'roots-outcome', arguments: {} }))) as RootsOutcome[];
}

/** A Streamable HTTP session spoken by hand: initialize, initialized, tool calls; never a GET stream. */
interface RawSession {
  id: string;
  callTool(name: string, args: Record<string, unknown>): Promise<string>;
  close(): Promise<void>;
}

async function openRawSession(target: TestProxy, server: string): Promise<RawSession> {
  const url = `${target.url}/servers/${server}/mcp`;
  let nextId = 1;
  const post = async (body: unknown, sessionId?: string) => fetch(url, { method: 'POST', headers: streamableHeaders(target, sessionId), body: JSON.stringify(body) });
  const initialize = await post({
    jsonrpc: '2.0',
    id: nextId++,
    method: 'initialize',
    params: { protocolVersion: '2025-06-18', capabilities: { roots: {} }, clientInfo: { name: 'raw-test', version: '0.0.0' } },
  });
  const id = initialize.headers.get('mcp-session-id');
  if (!id) throw new Error(`no session id (HTTP ${initialize.status})`);
  await readSseEvents(initialize, (events) => events.length > 0);
  const initialized = await post({ jsonrpc: '2.0', method: 'notifications/initialized' }, id);
  expect(initialized.status).toBe(202);
  return {
    id,
    async callTool(name, args) {
      const requestId = nextId++;
      const response = await post({ jsonrpc: '2.0', id: requestId, method: 'tools/call', params: { name, arguments: args } }, id);
      const events = await readSseEvents(response, (seen) => seen.some((event) => (JSON.parse(event.data) as { id?: unknown }).id === requestId));
      const answer = events.map((event) => JSON.parse(event.data) as { id?: unknown; result?: unknown }).find((message) => message.id === requestId);
      return firstText(answer?.result);
    },
    async close() {
      await fetch(url, { method: 'DELETE', headers: streamableHeaders(target, id) }).catch(() => undefined);
    },
  };
}

async function pollOutcome(session: RawSession, done: (outcomes: RootsOutcome[]) => boolean): Promise<RootsOutcome[]> {
  let outcomes: RootsOutcome[] = [];
  await waitFor(
    async () => {
      outcomes = JSON.parse(await session.callTool('roots-outcome', {})) as RootsOutcome[];
      return done(outcomes);
    },
    'the roots request to end',
    20_000,
  );
  return outcomes;
}
