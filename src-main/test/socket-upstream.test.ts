import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ServerEntry } from '../../src-shared/catalog';
import { connectClient, expectNothingLeft, firstText, RUN_TAG, startTestProxy, waitFor, type TestProxy } from './helpers';
import { startSocketFixture, type RemoteFixture } from './processes';

// VS Code's socket urls (microsoft/vscode#268488): the path is the socket's, the fragment the HTTP path.
let folder: string;
let fixture: RemoteFixture;
let proxy: TestProxy;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'patchbay-socket-'));
  const socket = join(folder, 'fixture.sock');
  fixture = await startSocketFixture(RUN_TAG, socket);
  // A socket file left behind by a server that crashed: Node removes the file when a server closes, so a child
  // listens and is killed; the file stays and nothing listens on it.
  const stale = join(folder, 'stale.sock');
  spawnSync(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(stale)}, () => process.kill(process.pid, 'SIGKILL'))`]);
  const entries: ServerEntry[] = [
    { name: 'socket-http', transport: 'streamable-http', url: `unix://${socket}#/mcp`, headers: {} },
    { name: 'socket-sse', transport: 'sse', url: `unix://${socket}#/sse`, headers: {} },
    { name: 'socket-missing', transport: 'streamable-http', url: `unix://${join(folder, 'missing.sock')}#/mcp`, headers: {} },
    { name: 'socket-stale', transport: 'streamable-http', url: `unix://${stale}#/mcp`, headers: {} },
    { name: 'socket-not-found', transport: 'streamable-http', url: `unix://${socket}#/nowhere`, headers: {} },
    { name: 'pipe-on-linux', transport: 'streamable-http', url: 'pipe:///pipe/patchbay-test#/mcp', headers: {} },
  ];
  proxy = await startTestProxy(entries, { session: { closingGraceMs: 300 } });
});

afterAll(async () => {
  await proxy?.close();
  await fixture?.stop();
  if (folder) await rm(folder, { recursive: true, force: true });
});

afterEach(async () => {
  await expectNothingLeft(proxy, [fixture.child.pid!]);
});

describe('a server on a Unix domain socket (unix:///path.sock#/mcp)', () => {
  it.each([
    ['socket-http', 'streamable-http'],
    ['socket-http', 'sse'],
    ['socket-sse', 'streamable-http'],
    ['socket-sse', 'sse'],
  ] as const)('%s: a client over %s lists its tools and calls one', async (server, kind) => {
    const connection = await connectClient(proxy, server, kind);
    try {
      const { tools } = await connection.client.listTools();
      expect(tools.map((tool) => tool.name)).toContain('echo');
      expect(firstText(await connection.client.callTool({ name: 'echo', arguments: { text: `over ${kind}` } }))).toBe(`echo: over ${kind}`);
    } finally {
      await connection.close();
    }
  });
});

async function connectFailure(server: string): Promise<{ message: string; detail: string | undefined }> {
  const before = proxy.events.at(-1)?.seq ?? 0;
  const message = await connectClient(proxy, server, 'streamable-http').then(
    async (connection) => {
      await connection.close();
      return 'connected';
    },
    (error: Error) => error.message,
  );
  const closed = () => proxy.events.find((event) => event.seq > before && event.type === 'session-closed');
  await waitFor(() => closed() !== undefined, 'the session to close');
  const event = closed();
  return { message, detail: event?.type === 'session-closed' ? event.detail : undefined };
}

describe('a socket that cannot be reached says why, with its path', () => {
  it('no socket file (ENOENT)', async () => {
    const { message, detail } = await connectFailure('socket-missing');
    const expected = `cannot reach unix:// server: the socket ${join(folder, 'missing.sock')} does not exist (ENOENT): is the server running, and is the path right?`;
    expect(message).toBe(`MCP error -32000: could not connect to "socket-missing": ${expected}`);
    expect(detail).toContain(expected);
  });

  it('a socket file nothing listens on (ECONNREFUSED)', async () => {
    const { message } = await connectFailure('socket-stale');
    expect(message).toContain(`cannot reach unix:// server: nothing listens on the socket ${join(folder, 'stale.sock')} (ECONNREFUSED)`);
  });

  it('a pipe:// url on Linux', async () => {
    const { message } = await connectFailure('pipe-on-linux');
    expect(message).toContain('pipe:// urls name a Windows named pipe (\\\\.\\pipe\\patchbay-test), which exists only on Windows; on Linux use unix:///path/to/server.sock');
  });

  it('an HTTP error over the socket is reported as for an http:// server', async () => {
    const { message } = await connectFailure('socket-not-found');
    expect(message).toMatch(/^MCP error -32000: could not connect to "socket-not-found": .*404/);
  });
});
