import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECRET_MASK, type ServerEntry, type StdioServerEntry } from '../../../src-shared/catalog';
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

describe('secret values', () => {
  const SECRET = 'ghp_the-real-secret-value';

  it('never reach the page: lists, results and catalog events show them as set; an untouched secret is kept, a typed one replaces it', async () => {
    const abort = new AbortController();
    const response = await fetch(`${services.proxy.url}/bridge/events`, { headers: { Authorization: `Bearer ${services.proxy.token}` }, signal: abort.signal });
    const events = new SseReader(response);
    const entry = { ...fixtureEntry('with-secret', { GITHUB_TOKEN: SECRET, LOG: 'debug' }), secrets: ['GITHUB_TOKEN'] };
    const added = (await invoke('addServer', { entry })).body as { ok: true; value: ServerEntry[] };
    const shown = added.value.find((server) => server.name === 'with-secret') as StdioServerEntry;
    expect(shown.env).toEqual({ GITHUB_TOKEN: SECRET_MASK, LOG: 'debug' });
    expect(JSON.stringify((await invoke('listServers')).body)).not.toContain(SECRET);
    await events.until((received) => received.some((event) => event.event === 'catalog' && event.data.includes('with-secret')));
    expect(JSON.stringify(events.events)).not.toContain(SECRET);

    // Saved back as the page shows it (another field changed): the stored secret stays.
    const renamed = (await invoke('updateServer', { name: 'with-secret', entry: { ...shown, env: { ...shown.env, LOG: 'info' } } })).body as { ok: boolean };
    expect(renamed.ok).toBe(true);
    expect((services.catalog.get('with-secret') as StdioServerEntry).env).toEqual({ GITHUB_TOKEN: SECRET, LOG: 'info' });
    expect(JSON.stringify(renamed)).not.toContain(SECRET);

    // The proxy still starts the server with the real value.
    const client = new Client({ name: 'page', version: '0' });
    const transport = new StreamableHTTPClientTransport(new URL(`${services.proxy.url}/servers/with-secret/mcp`), {
      requestInit: { headers: { Authorization: `Bearer ${services.proxy.token}` } },
    });
    await client.connect(transport);
    const result = (await client.callTool({ name: 'env', arguments: { name: 'GITHUB_TOKEN' } })) as { content: Array<{ text: string }> };
    expect(result.content[0]!.text).toBe(SECRET);
    await transport.terminateSession();
    await client.close();
    await waitFor(() => services.proxy.sessions.size === 0, 'the session to close');

    // A value typed over the mask replaces it.
    await invoke('updateServer', { name: 'with-secret', entry: { ...shown, env: { ...shown.env, GITHUB_TOKEN: 'ghp_new' } } });
    expect((services.catalog.get('with-secret') as StdioServerEntry).env.GITHUB_TOKEN).toBe('ghp_new');
    abort.abort();
    await events.close();
  });

  it('refuses a mask that has no stored secret behind it, naming it', async () => {
    const entry = { ...fixtureEntry('masked-new', { API_KEY: SECRET_MASK }), secrets: ['API_KEY'] };
    expect((await invoke('addServer', { entry })).body).toEqual({
      ok: false,
      error: { code: 'rejected', message: 'the environment variable API_KEY of server "masked-new" shows a hidden secret that is not stored for it; type its value' },
    });
  });

  it('are left out of an export unless the user asks for them, and the export says which', async () => {
    await invoke('updateServer', { name: 'with-secret', entry: { ...fixtureEntry('with-secret', { GITHUB_TOKEN: SECRET, LOG: 'info' }), secrets: ['GITHUB_TOKEN'] } });
    const plain = (await invoke('exportConfig', { target: 'cursor', names: ['with-secret'] })).body as { ok: true; value: { text: string; warnings: string[] } };
    expect(plain.value.text).not.toContain(SECRET);
    expect(JSON.parse(plain.value.text)).toMatchObject({ mcpServers: { 'with-secret': { env: { GITHUB_TOKEN: '', LOG: 'info' } } } });
    expect(plain.value.warnings).toContain('server "with-secret": the secret values of GITHUB_TOKEN are left empty; fill them in there, or export with secret values included');
    const full = (await invoke('exportConfig', { target: 'cursor', names: ['with-secret'], includeSecrets: true })).body as { ok: true; value: { text: string; warnings: string[] } };
    expect(JSON.parse(full.value.text)).toMatchObject({ mcpServers: { 'with-secret': { env: { GITHUB_TOKEN: SECRET } } } });
    expect(full.value.warnings).toContain('server "with-secret": the secret values of GITHUB_TOKEN are written in clear; keep this file private');
  });
});
