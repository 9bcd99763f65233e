import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { firstText, type EchoSession, type HttpEndpoint } from './clients';
import { BENCH, MODERN_FIXTURE_PATH } from './config';
import { settle } from './guard';

/** The protocol revision every modern session is pinned to: anything else fails the connect loudly. */
export const MODERN_REVISION = '2026-07-28';

const CLIENT_INFO = { name: 'patchbay-bench-modern', version: '0.0.0' };

/**
 * A modern-era session with the SDK's 2.x client, pinned to 2026-07-28: connect is the server/discover probe, every
 * call carries its own `_meta` envelope, no session exists on the wire.
 */
function modernSession(transport: () => StdioClientTransport | StreamableHTTPClientTransport): EchoSession {
  const client = new Client(CLIENT_INFO, { versionNegotiation: { mode: { pin: MODERN_REVISION } } });
  return {
    // At least BENCH.modern.connectTimeoutMs: over stdio the probe waits for a fresh node process to load the 2.x
    // server, and a probe that times out there is taken for a legacy server (which the pin then refuses).
    connect: (timeoutMs) => client.connect(transport(), { timeout: Math.max(timeoutMs, BENCH.modern.connectTimeoutMs) }),
    close: async (timeoutMs = 10_000) => {
      await settle(client.close(), timeoutMs);
      return undefined;
    },
    echo: async (text, timeoutMs) => {
      const answer = firstText(await client.callTool({ name: 'echo', arguments: { text } }, { timeout: timeoutMs }));
      if (answer !== `echo: ${text}`) throw new Error(`echo answered ${JSON.stringify(answer?.slice(0, 80))}`);
    },
  };
}

/** Straight to a modern fixture child over stdio. */
export function modernStdioSession(): EchoSession {
  return modernSession(() => new StdioClientTransport({ command: process.execPath, args: [MODERN_FIXTURE_PATH], stderr: 'ignore' }));
}

/** Over Streamable HTTP: to the modern fixture's own endpoint, or to the proxy's route (with its token). */
export function modernStreamableSession(endpoint: HttpEndpoint): EchoSession {
  return modernSession(() => new StreamableHTTPClientTransport(endpoint.url, { requestInit: { headers: endpoint.headers } }));
}
