import { describe, expect, it } from 'vitest';
import { ApiCallError } from '../../../src-shared/api-contract';
import type { LifecycleEvent } from '../../../src-shared/events';
import { createWebApi } from './web-api';

/** A stream body the test writes SSE text into, and can end. */
function controllableBody() {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) });
  const encoder = new TextEncoder();
  return {
    body,
    write: (text: string) => controller.enqueue(encoder.encode(text)),
    end: () => controller.close(),
  };
}

const lifecycle = (seq: number): LifecycleEvent => ({
  type: 'stderr',
  seq,
  at: 1,
  sessionId: 's',
  server: 'x',
  line: `line ${seq}`,
});

const until = async (check: () => boolean, what: string) => {
  for (let i = 0; i < 200; i += 1) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`timed out waiting for ${what}`);
};

describe('createWebApi', () => {
  it('calls methods over POST /bridge/invoke with the token and unwraps the result', async () => {
    const calls: Array<{ url: string; init?: RequestInit }> = [];
    const fetch = (async (url: string, init?: RequestInit) => {
      calls.push({ url, init });
      if (url.includes('/bridge/events')) return new Response(controllableBody().body, { status: 200 });
      if (url.endsWith('/hello')) return Response.json({ ok: true, value: { proxyUrl: 'http://127.0.0.1:1', token: 't', host: 'web' } });
      if (url.endsWith('/listServers')) return Response.json({ ok: true, value: [{ name: 'a', transport: 'stdio', command: 'node' }] });
      return Response.json({ ok: false, error: { message: 'a server named "a" already exists', code: 'rejected' } });
    }) as typeof globalThis.fetch;
    const web = createWebApi({ origin: 'http://127.0.0.1:5', token: 'secret', owner: () => 'owner-123456', renewOwner: () => undefined, fetch });
    try {
      expect(await web.api.hello({ owner: 'owner-123456' })).toEqual({ proxyUrl: 'http://127.0.0.1:1', token: 't', host: 'web' });
      const hello = calls.find((call) => call.url.endsWith('/hello'))!;
      expect(hello.url).toBe('http://127.0.0.1:5/bridge/invoke/hello');
      expect(hello.init).toMatchObject({ method: 'POST', headers: { Authorization: 'Bearer secret', 'Content-Type': 'application/json' } });
      expect(JSON.parse(String(hello.init!.body))).toEqual({ input: { owner: 'owner-123456' } });
      // Outputs are parsed with the contract: defaults are filled in.
      expect(await web.api.listServers()).toEqual([{ name: 'a', transport: 'stdio', command: 'node', args: [], env: {} }]);
      expect(JSON.parse(String(calls.find((call) => call.url.endsWith('/listServers'))!.init!.body))).toEqual({});
      const failure = await web.api.removeServer({ name: 'a' }).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(ApiCallError);
      expect((failure as ApiCallError).message).toBe('a server named "a" already exists');
    } finally {
      web.close();
    }
  });

  it('reads the token guard answer (JSON-RPC shape) as a readable error', async () => {
    const fetch = (async (url: string) => {
      if (url.includes('/bridge/events')) return new Response(controllableBody().body, { status: 200 });
      return Response.json({ jsonrpc: '2.0', error: { code: -32600, message: 'Unauthorized: the bearer token is wrong' }, id: null }, { status: 401 });
    }) as typeof globalThis.fetch;
    const web = createWebApi({ origin: 'http://h', token: 'bad', owner: () => 'owner-123456', renewOwner: () => undefined, fetch });
    try {
      await expect(web.api.listServers()).rejects.toThrow('Unauthorized: the bearer token is wrong');
    } finally {
      web.close();
    }
  });

  it('shares one event stream, reconnects under a new owner when it drops, and asks for a resync', async () => {
    const streams: Array<{ url: string; body: ReturnType<typeof controllableBody> }> = [];
    const fetch = (async (url: string, init?: RequestInit) => {
      expect((init?.headers as Record<string, string>).Authorization).toBe('Bearer tok');
      const body = controllableBody();
      streams.push({ url, body });
      return new Response(body.body, { status: 200, headers: { 'Content-Type': 'text/event-stream' } });
    }) as typeof globalThis.fetch;
    let owner = 'owner-first-1';
    const web = createWebApi({
      origin: 'http://h',
      token: 'tok',
      owner: () => owner,
      renewOwner: () => void (owner = 'owner-second-2'),
      fetch,
      initialDelayMs: 1,
    });
    try {
      const seenA: number[] = [];
      const seenB: number[] = [];
      const catalogs: unknown[] = [];
      const resyncs: string[] = [];
      const notices: unknown[] = [];
      const lost: string[] = [];
      web.api.onLifecycleEvent((event) => seenA.push(event.seq));
      const stopB = web.api.onLifecycleEvent((event) => seenB.push(event.seq));
      web.api.onCatalogChanged((entries) => catalogs.push(entries));
      web.onResync((reason, notice) => {
        resyncs.push(reason);
        if (notice) notices.push(notice);
      });
      web.onLost((error) => lost.push(error));
      await web.opened;
      expect(streams).toHaveLength(1);
      expect(streams[0]!.url).toBe('http://h/bridge/events?owner=owner-first-1');

      streams[0]!.body.write(`event: lifecycle\ndata: ${JSON.stringify(lifecycle(1))}\n\n`);
      streams[0]!.body.write(`event: catalog\ndata: []\n\nevent: lifecycle\ndata: {"not":"an event"}\n\n`);
      await until(() => catalogs.length === 1, 'the catalog event');
      stopB();
      streams[0]!.body.write(`event: lifecycle\ndata: ${JSON.stringify(lifecycle(2))}\n\nevent: dropped\ndata: {"count":3,"bytes":300,"reason":"the reader fell behind: 8 MiB were already waiting for it","firstSeq":3,"lastSeq":5}\n\n`);
      await until(() => resyncs.length === 1, 'the dropped event');
      expect(seenA).toEqual([1, 2]);
      expect(seenB).toEqual([1]);
      expect(resyncs).toEqual(['dropped']);
      expect(notices).toEqual([{ count: 3, bytes: 300, reason: 'the reader fell behind: 8 MiB were already waiting for it', firstSeq: 3, lastSeq: 5 }]);

      streams[0]!.body.end();
      await until(() => streams.length === 2 && resyncs.length === 2, 'the reconnect');
      expect(lost).toEqual(['the event stream ended']);
      expect(streams[1]!.url).toBe('http://h/bridge/events?owner=owner-second-2');
      expect(resyncs).toEqual(['dropped', 'reopened']);
      streams[1]!.body.write(`event: lifecycle\ndata: ${JSON.stringify(lifecycle(3))}\n\n`);
      await until(() => seenA.length === 3, 'an event on the new stream');
    } finally {
      web.close();
    }
  });

  it('keeps retrying with backoff while the server is away', async () => {
    let attempts = 0;
    const states: string[] = [];
    const fetch = (async () => {
      attempts += 1;
      if (attempts < 3) throw new TypeError('fetch failed');
      return new Response(controllableBody().body, { status: 200 });
    }) as unknown as typeof globalThis.fetch;
    const web = createWebApi({ origin: 'http://h', token: 't', owner: () => 'owner-123456', renewOwner: () => undefined, fetch, initialDelayMs: 1 });
    try {
      web.onLinkState((state) => states.push(state.status));
      await web.opened;
      expect(attempts).toBe(3);
      expect(states[0]).toBe('connecting');
      expect(states).toContain('reconnecting');
      expect(states.at(-1)).toBe('open');
    } finally {
      web.close();
    }
  });

  it('stops for good when the token is refused', async () => {
    let attempts = 0;
    const states: Array<{ status: string; error?: string }> = [];
    const fetch = (async () => {
      attempts += 1;
      return Response.json({ jsonrpc: '2.0', error: { code: -32600, message: 'Unauthorized: the bearer token is wrong' }, id: null }, { status: 401 });
    }) as unknown as typeof globalThis.fetch;
    const web = createWebApi({ origin: 'http://h', token: 'old', owner: () => 'owner-123456', renewOwner: () => undefined, fetch, initialDelayMs: 1 });
    try {
      web.onLinkState((state) => states.push(state));
      await until(() => states.some((state) => state.status === 'refused'), 'the refusal');
      await new Promise((resolve) => setTimeout(resolve, 30));
      expect(attempts).toBe(1);
      expect(states.at(-1)).toEqual({ status: 'refused', error: 'Patchbay refused this page (HTTP 401: Unauthorized: the bearer token is wrong)' });
    } finally {
      web.close();
    }
  });
});
