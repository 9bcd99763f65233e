import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { FIXTURE_PATH } from './config';
import { errorText, settle, withTimeout } from './guard';

/** An HTTP endpoint of a target, with the headers every request to it needs (the proxy's bearer token). */
export interface HttpEndpoint {
  url: URL;
  headers: Record<string, string>;
}

/**
 * A session that can call the fixture's `echo`: what the latency and throughput series need, whichever SDK
 * client (1.x legacy, 2.x modern) is behind it.
 */
export interface EchoSession {
  /** Runs the initialize handshake (or, modern, the server/discover probe); resolves once the client can call. */
  connect(timeoutMs: number): Promise<void>;
  /** Ends the session the clean way for its transport; never rejects, returns the error text if one occurred. */
  close(timeoutMs?: number): Promise<string | undefined>;
  /** Calls `echo` and checks the answer. */
  echo(text: string, timeoutMs: number): Promise<void>;
}

/**
 * One MCP client session, created unconnected so that a storm can build all of them first and then start every
 * `connect()` at the same instant.
 */
export interface BenchSession extends EchoSession {
  readonly client: Client;
}

const CLIENT_INFO = { name: 'patchbay-bench', version: '0.0.0' };

/** A Streamable HTTP session: closed with DELETE (terminateSession) and then client.close(). */
export function streamableSession(endpoint: HttpEndpoint): BenchSession {
  const client = new Client(CLIENT_INFO);
  const transport = new StreamableHTTPClientTransport(endpoint.url, { requestInit: { headers: endpoint.headers } });
  return {
    client,
    echo: (text, timeoutMs) => callEcho(client, text, timeoutMs),
    connect: (timeoutMs) => client.connect(transport, { timeout: timeoutMs }),
    close: async (timeoutMs = 10_000) => {
      let problem: string | undefined;
      try {
        await withTimeout(transport.terminateSession(), timeoutMs, 'terminateSession');
      } catch (error) {
        problem = `terminateSession: ${errorText(error)}`;
      }
      await settle(client.close(), timeoutMs);
      return problem;
    },
  };
}

/**
 * An HTTP+SSE session. The event stream is opened by the eventsource package with its own fetch, so the
 * Authorization header must be added there as well as to the POSTs' requestInit.
 */
export function sseSession(endpoint: HttpEndpoint): BenchSession {
  const client = new Client(CLIENT_INFO);
  const transport = new SSEClientTransport(endpoint.url, {
    requestInit: { headers: endpoint.headers },
    eventSourceInit: {
      fetch: (url, init) => {
        const headers = new Headers(init?.headers);
        for (const [name, value] of Object.entries(endpoint.headers)) headers.set(name, value);
        return fetch(url, { ...init, headers });
      },
    },
  });
  return {
    client,
    echo: (text, timeoutMs) => callEcho(client, text, timeoutMs),
    connect: (timeoutMs) => client.connect(transport, { timeout: timeoutMs }),
    close: async (timeoutMs = 10_000) => {
      await settle(client.close(), timeoutMs);
      return undefined;
    },
  };
}

/** The baseline: the SDK's own stdio transport straight to a fixture child, no proxy in between. */
export function stdioSession(): BenchSession {
  const client = new Client(CLIENT_INFO);
  // stderr ignored: the fixture announces itself there, which would only clutter the table.
  const transport = new StdioClientTransport({ command: process.execPath, args: [FIXTURE_PATH], stderr: 'ignore' });
  return {
    client,
    echo: (text, timeoutMs) => callEcho(client, text, timeoutMs),
    connect: (timeoutMs) => client.connect(transport, { timeout: timeoutMs }),
    close: async (timeoutMs = 10_000) => {
      await settle(client.close(), timeoutMs);
      return undefined;
    },
  };
}

/** Makes and connects a session; on failure the half-open session is closed before the error is rethrown. */
export async function openSession<S extends EchoSession>(make: () => S, timeoutMs: number): Promise<S> {
  const session = make();
  try {
    await session.connect(timeoutMs);
    return session;
  } catch (error) {
    await session.close(2_000);
    throw error;
  }
}

/** Closes sessions concurrently; resolves to the distinct close problems seen (empty when all closed cleanly). */
export async function closeAll(sessions: readonly EchoSession[], timeoutMs: number): Promise<string[]> {
  const problems = await Promise.all(sessions.map((session) => session.close(timeoutMs)));
  return [...new Set(problems.filter((problem): problem is string => problem !== undefined))];
}

export function firstText(result: unknown): string | undefined {
  const content = (result as { content?: Array<{ type?: string; text?: unknown }> }).content;
  const first = content?.[0];
  return first?.type === 'text' && typeof first.text === 'string' ? first.text : undefined;
}

/** Calls the fixture's `echo` tool and checks the answer, so a wrong relay cannot pass as a fast one. */
export async function callEcho(client: Client, text: string, timeoutMs: number): Promise<void> {
  const result = await client.callTool({ name: 'echo', arguments: { text } }, undefined, { timeout: timeoutMs });
  const answer = firstText(result);
  if (answer !== `echo: ${text}`) throw new Error(`echo answered ${JSON.stringify(answer?.slice(0, 80))}`);
}

/** Calls the fixture's `blob` tool and checks that the text arrived whole. */
export async function callBlob(client: Client, bytes: number, timeoutMs: number): Promise<void> {
  const result = await client.callTool({ name: 'blob', arguments: { bytes } }, undefined, { timeout: timeoutMs });
  const answer = firstText(result);
  if (answer?.length !== bytes) throw new Error(`blob answered ${answer?.length ?? 'no'} characters instead of ${bytes}`);
}
