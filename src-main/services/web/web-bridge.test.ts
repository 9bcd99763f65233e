import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureEntry, isAlive, SseReader, waitFor } from '../../test/helpers';
import { startAppServices, type AppServices } from '../app-services';
import { mountWebBridge } from './web-bridge';

// Web mode's bridge speaks the same api contract as IPC, behind the same token and guards.
let dataDir: string;
let services: AppServices;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'patchbay-bridge-'));
  services = await startAppServices({ dataDir, host: 'web', privateRoutes: (app, ready) => mountWebBridge(app, ready) });
});
afterAll(async () => {
  await services.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const invoke = async (method: string, input?: unknown, token: string | null = services.proxy.token) => {
  const response = await fetch(`${services.proxy.url}/bridge/invoke/${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(input === undefined ? {} : { input }),
  });
  return { status: response.status, body: (await response.json()) as unknown };
};

describe('the web bridge', () => {
  it('needs the token', async () => {
    expect((await invoke('listServers', undefined, null)).status).toBe(401);
  });

  it('answers every call as an ApiResult, with readable errors', async () => {
    expect(await invoke('listServers')).toEqual({ status: 200, body: { ok: true, value: [] } });
    expect(await invoke('nope')).toEqual({ status: 404, body: { ok: false, error: { code: 'unknown-method', message: 'unknown api method "nope"' } } });
    expect((await invoke('addServer', { entry: { name: 'x', transport: 'sse', url: 'nope' } })).body).toEqual({
      ok: false,
      error: { code: 'invalid-payload', message: 'invalid input for addServer: entry.url: a remote server needs an http:// or https:// URL' },
    });
    expect((await invoke('addServer', { entry: fixtureEntry('fixture') })).body).toMatchObject({ ok: true, value: [{ name: 'fixture' }] });
    expect((await invoke('hello', { owner: 'page-owner-1' })).body).toEqual({
      ok: true,
      value: { proxyUrl: services.proxy.url, token: services.proxy.token, host: 'web' },
    });
  });

  it('streams catalog and lifecycle events, and closes the sessions of a page whose stream ends', async () => {
    const owner = 'page-owner-2';
    const abort = new AbortController();
    const events = new SseReader(
      await fetch(`${services.proxy.url}/bridge/events?owner=${owner}`, { headers: { Authorization: `Bearer ${services.proxy.token}` }, signal: abort.signal }),
    );
    await invoke('duplicateServer', { name: 'fixture' });
    await events.until((received) => received.some((event) => event.event === 'catalog'));

    const client = new Client({ name: 'page', version: '0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${services.proxy.url}/servers/fixture/mcp`), {
        requestInit: { headers: { Authorization: `Bearer ${services.proxy.token}`, 'X-Patchbay-Owner': owner } },
      }),
    );
    await events.until((received) => received.some((event) => event.event === 'lifecycle' && event.data.includes('"session-initialized"')));
    const [session] = services.proxy.sessions.list();
    const pid = session!.snapshot().pid!;
    expect(isAlive(pid)).toBe(true);

    // The page goes away: its event stream ends, and with it every session it opened.
    abort.abort();
    await events.close();
    await waitFor(() => services.proxy.sessions.size === 0, 'the page sessions to close');
    await waitFor(() => !isAlive(pid), 'the child to exit');
    await client.close();
  });
});
