import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { API_METHODS, IPC_CHANNELS } from '../../src-shared/api-contract';
import { startAppServices, type AppServices } from '../services/app-services';
import { APP_ENTRY_URL, decideNavigation, resolveAppFile } from './app-origin';
import { buildIpcRegistrations, isTrustedSender, type IpcSenderInfo } from './ipc-guard';
import { createQuitCoordinator } from './quit-coordinator';
import { mainWindowOptions } from './window-options';

// The shell's own logic, in plain Node: what it decides does not need Electron to be tested.

describe('window options', () => {
  it('keep the renderer isolated and sandboxed, without Node', () => {
    const { webPreferences } = mainWindowOptions('/app/preload.js');
    expect(webPreferences).toMatchObject({
      preload: '/app/preload.js',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      webviewTag: false,
    });
  });
});

describe('navigation', () => {
  it('allows the app, sends web links to the browser and denies the rest', () => {
    expect(decideNavigation(APP_ENTRY_URL)).toBe('allow');
    expect(decideNavigation('https://modelcontextprotocol.io/docs')).toBe('open-externally');
    expect(decideNavigation('http://127.0.0.1:5173/')).toBe('open-externally');
    expect(decideNavigation('http://127.0.0.1:5173/', 'http://127.0.0.1:5173')).toBe('allow');
    expect(decideNavigation('file:///etc/passwd')).toBe('deny');
    expect(decideNavigation('javascript:alert(1)')).toBe('deny');
    expect(decideNavigation('app://elsewhere/index.html')).toBe('deny');
    expect(decideNavigation('not a url')).toBe('deny');
  });

  it('serves only files inside the renderer folder', () => {
    expect(resolveAppFile('app://patchbay/index.html', '/r')).toBe('/r/index.html');
    expect(resolveAppFile('app://patchbay/', '/r')).toBe('/r/index.html');
    expect(resolveAppFile('app://patchbay/assets/a.js', '/r')).toBe('/r/assets/a.js');
    // The URL parser already folds plain '..' away, so it stays inside; encoded dots must not escape either.
    expect(resolveAppFile('app://patchbay/../secret', '/r')).toBe('/r/secret');
    expect(resolveAppFile('app://patchbay/%2e%2e/%2e%2e/etc/passwd', '/r')).toBe('/r/etc/passwd');
    expect(resolveAppFile('app://patchbay/%2F..%2F..%2Fetc%2Fpasswd', '/r')).toBeUndefined();
    expect(resolveAppFile('app://other/index.html', '/r')).toBeUndefined();
    expect(resolveAppFile('app://patchbay/%E0%A4%A', '/r')).toBeUndefined();
  });
});

describe('IPC', () => {
  let dataDir: string;
  let services: AppServices;
  const ownWindow = (id: number) => id === 1;
  const fromApp: IpcSenderInfo = { senderFrame: { url: APP_ENTRY_URL, parent: null }, sender: { id: 1 } };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'patchbay-shell-'));
    services = await startAppServices({ dataDir, host: 'electron' });
  });
  afterAll(async () => {
    await services.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('trusts only the top frame of an own window showing the app', () => {
    expect(isTrustedSender(fromApp, ownWindow)).toBe(true);
    expect(isTrustedSender({ ...fromApp, sender: { id: 2 } }, ownWindow)).toBe(false);
    expect(isTrustedSender({ ...fromApp, senderFrame: { url: APP_ENTRY_URL, parent: {} } }, ownWindow)).toBe(false);
    expect(isTrustedSender({ ...fromApp, senderFrame: { url: 'https://evil.example/', parent: null } }, ownWindow)).toBe(false);
    expect(isTrustedSender({ ...fromApp, senderFrame: null }, ownWindow)).toBe(false);
  });

  it('registers one channel per api method', () => {
    const registrations = buildIpcRegistrations(() => services.handlers, ownWindow);
    expect(registrations.map((registration) => registration.channel)).toEqual(API_METHODS.map((method) => IPC_CHANNELS.invoke(method)));
  });

  it('refuses untrusted senders before any service runs', async () => {
    const add = buildIpcRegistrations(() => services.handlers, ownWindow).find((registration) => registration.method === 'addServer')!;
    const result = await add.handle({ ...fromApp, sender: { id: 7 } }, { entry: { name: 'x', transport: 'stdio', command: 'node' } });
    expect(result).toEqual({ ok: false, error: { code: 'rejected', message: "api call addServer refused: it did not come from the app's own window" } });
    expect(services.catalog.list()).toEqual([]);
  });

  it('validates payloads with the contract and says what was wrong', async () => {
    const registrations = buildIpcRegistrations(() => services.handlers, ownWindow);
    const add = registrations.find((registration) => registration.method === 'addServer')!;
    expect(await add.handle(fromApp, { entry: { name: 'x', transport: 'stdio', command: '' } })).toEqual({
      ok: false,
      error: { code: 'invalid-payload', message: 'invalid input for addServer: entry.command: a stdio server needs a command' },
    });
    expect(await add.handle(fromApp, { entry: { name: 'r', transport: 'sse', url: 'ftp://x' } })).toMatchObject({
      ok: false,
      error: { message: 'invalid input for addServer: entry.url: a remote server needs an http:// or https:// URL' },
    });
    expect(await add.handle(fromApp, 'not an object')).toMatchObject({ ok: false, error: { code: 'invalid-payload' } });
    expect(services.catalog.list()).toEqual([]);

    expect(await add.handle(fromApp, { entry: { name: 'ok', transport: 'stdio', command: 'node', args: ['server.js'] } })).toMatchObject({ ok: true });
    expect(await add.handle(fromApp, { entry: { name: 'ok', transport: 'stdio', command: 'node' } })).toEqual({
      ok: false,
      error: { code: 'rejected', message: 'a server named "ok" already exists' },
    });
    const hello = registrations.find((registration) => registration.method === 'hello')!;
    expect(await hello.handle(fromApp, { owner: 'window-owner-1' })).toEqual({
      ok: true,
      value: { proxyUrl: services.proxy.url, token: services.proxy.token, host: 'electron' },
    });
  });
});

describe('quitting', () => {
  it('holds the first quit until cleanup is done, and cleans up once however often quit is asked', async () => {
    let finishCleanup!: () => void;
    const cleanup = vi.fn(() => new Promise<void>((resolve) => (finishCleanup = resolve)));
    const quit = vi.fn();
    const coordinator = createQuitCoordinator(cleanup, quit);
    const events = Array.from({ length: 3 }, () => ({ preventDefault: vi.fn() }));
    events.forEach((event) => coordinator.onBeforeQuit(event));
    expect(events.every((event) => event.preventDefault.mock.calls.length === 1)).toBe(true);
    expect(cleanup).toHaveBeenCalledTimes(1);
    expect(quit).not.toHaveBeenCalled();
    finishCleanup();
    await vi.waitFor(() => expect(quit).toHaveBeenCalledTimes(1));
    const last = { preventDefault: vi.fn() };
    coordinator.onBeforeQuit(last);
    expect(last.preventDefault).not.toHaveBeenCalled();
  });

  it('still quits when cleanup fails, and reports why', async () => {
    const report = vi.fn();
    const quit = vi.fn();
    const coordinator = createQuitCoordinator(() => Promise.reject(new Error('stuck')), quit, report);
    coordinator.onBeforeQuit({ preventDefault: () => undefined });
    await vi.waitFor(() => expect(quit).toHaveBeenCalled());
    expect(report).toHaveBeenCalledWith(expect.objectContaining({ message: 'stuck' }));
  });
});
