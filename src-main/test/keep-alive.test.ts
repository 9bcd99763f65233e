import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureEntry, startTestProxy, type TestProxy } from './helpers';

let proxy: TestProxy;

beforeAll(async () => {
  proxy = await startTestProxy([fixtureEntry('fixture')]);
});

afterAll(async () => {
  await proxy?.close();
});

/** Sends one HTTP/1.1 request on an open socket and resolves with the raw response head once it is complete. */
function requestOn(socket: Socket, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    if (socket.destroyed || !socket.writable) return reject(new Error('the server closed the kept-alive connection while it was idle'));
    let received = '';
    const onData = (chunk: Buffer) => {
      received += chunk.toString('latin1');
      const headEnd = received.indexOf('\r\n\r\n');
      const length = Number(/^content-length: (\d+)/im.exec(received)?.[1]);
      if (headEnd !== -1 && received.length >= headEnd + 4 + length) finish(() => resolve(received.slice(0, headEnd)));
    };
    const onClose = () => finish(() => reject(new Error(`the server closed the kept-alive connection (received: ${JSON.stringify(received)})`)));
    const finish = (settle: () => void) => {
      socket.off('data', onData);
      socket.off('close', onClose);
      settle();
    };
    socket.on('data', onData);
    socket.once('close', onClose);
    socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${proxy.port}\r\nConnection: keep-alive\r\n\r\n`);
  });
}

describe("the proxy's HTTP server and the keep-alive race", () => {
  it('keeps idle connections longer than any client does, and long requests without a time limit', () => {
    const server = proxy.httpServer;
    // Longer than Chromium's 300 s idle-socket limit, and than the 300 s it advertises (undici honours that).
    expect(server.keepAliveTimeout).toBeGreaterThan(300_000);
    expect(server.headersTimeout).toBeGreaterThan(server.keepAliveTimeout);
    // SSE and GET streams live for as long as a session does.
    expect(server.requestTimeout).toBe(0);
  });

  it('advertises a shorter keep-alive than it keeps, on every answer', async () => {
    const health = await fetch(`${proxy.url}/health`);
    expect(health.headers.get('keep-alive')).toBe('timeout=300');
    await health.text();
    const refused = await fetch(`${proxy.url}/api/sessions`);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('keep-alive')).toBe('timeout=300');
    await refused.text();
  });

  it('answers a second request on a connection left idle past the usual 5 s server timeout', async () => {
    const socket = connect(proxy.port, '127.0.0.1');
    socket.on('error', () => {
      // A reset shows up as the close the request below reports.
    });
    try {
      await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
      expect(await requestOn(socket, '/health')).toMatch(/^HTTP\/1\.1 200/);
      // Node's default keepAliveTimeout is 5 s; a proxy using it would have closed this socket by now.
      await new Promise((resolve) => setTimeout(resolve, 7_000));
      expect(await requestOn(socket, '/health')).toMatch(/^HTTP\/1\.1 200/);
    } finally {
      socket.destroy();
    }
  });
});
