import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppServices, type AppServices } from '../services/app-services';
import { rendererCsp } from '../services/renderer-csp';
import { mountStaticRenderer } from '../services/web/static-renderer';
import { APP_ENTRY_URL, developmentRendererUrl } from './app-origin';
import { OpenFilesQueue } from './open-files';
import { isPermissionGranted } from './permissions';
import { quitsWhenAllWindowsClosed } from './quit-coordinator';
import { UserGestures } from './user-gestures';

// What the shell decides about pages, permissions, links, files and windows, in plain Node.

describe('the development renderer URL', () => {
  it('is honoured only in an unpackaged app, and only for a loopback http server', () => {
    const env = { ELECTRON_RENDERER_URL: 'http://localhost:5173' };
    expect(developmentRendererUrl(false, env)).toBe('http://localhost:5173');
    expect(developmentRendererUrl(true, env)).toBeUndefined();
    expect(developmentRendererUrl(false, { ELECTRON_RENDERER_URL: 'https://evil.example/' })).toBeUndefined();
    expect(developmentRendererUrl(false, { ELECTRON_RENDERER_URL: 'file:///tmp/page.html' })).toBeUndefined();
    expect(developmentRendererUrl(false, { ELECTRON_RENDERER_URL: 'not a url' })).toBeUndefined();
    expect(developmentRendererUrl(false, {})).toBeUndefined();
  });
});

describe('permissions', () => {
  it('grants the app page the clipboard and loopback access it uses, and nothing else to anyone', () => {
    expect(isPermissionGranted('clipboard-sanitized-write', APP_ENTRY_URL)).toBe(true);
    expect(isPermissionGranted('loopback-network', 'app://patchbay')).toBe(true);
    for (const permission of ['media', 'notifications', 'geolocation', 'clipboard-read', 'hid', 'usb', 'serial', 'openExternal', 'fullscreen', 'pointerLock', 'unknown']) {
      expect(isPermissionGranted(permission, APP_ENTRY_URL), permission).toBe(false);
    }
    expect(isPermissionGranted('clipboard-sanitized-write', 'https://evil.example/')).toBe(false);
    expect(isPermissionGranted('clipboard-sanitized-write', 'http://localhost:5173/')).toBe(false);
    expect(isPermissionGranted('clipboard-sanitized-write', 'http://localhost:5173/', 'http://localhost:5173')).toBe(true);
  });
});

describe('links to the web', () => {
  it('count as clicked only right after a real click or key press in the window', () => {
    const gestures = new UserGestures(1_000);
    expect(gestures.isRecent(10_000)).toBe(false);
    gestures.note('mouseMove', 10_000);
    gestures.note('mouseWheel', 10_000);
    expect(gestures.isRecent(10_000)).toBe(false);
    gestures.note('mouseUp', 10_000);
    expect(gestures.isRecent(10_500)).toBe(true);
    expect(gestures.isRecent(11_001)).toBe(false);
    gestures.note('keyDown', 20_000);
    expect(gestures.isRecent(20_100)).toBe(true);
  });
});

describe('files to open', () => {
  it('wait for a page, and stay queued when the page is gone', () => {
    const queue = new OpenFilesQueue();
    queue.add(['/a.json']);
    const delivered: string[][] = [];
    queue.ready((paths) => {
      delivered.push([...paths]);
      return true;
    });
    expect(delivered).toEqual([['/a.json']]);
    queue.ready(() => false); // the window closed (macOS keeps the app running)
    queue.add(['/b.yaml']);
    expect(queue.waiting).toBe(true);
    queue.add(['/c.jsonc']);
    queue.ready((paths) => {
      delivered.push([...paths]);
      return true;
    });
    expect(delivered).toEqual([['/a.json'], ['/b.yaml', '/c.jsonc']]);
    expect(queue.waiting).toBe(false);
  });
});

describe('closing the last window', () => {
  it('quits except on macOS', () => {
    expect(quitsWhenAllWindowsClosed('darwin')).toBe(false);
    expect(quitsWhenAllWindowsClosed('linux')).toBe(true);
    expect(quitsWhenAllWindowsClosed('win32')).toBe(true);
  });
});

describe("the renderer's Content-Security-Policy", () => {
  const rendererFolder = fileURLToPath(new URL('../../out/renderer', import.meta.url));
  let dataDir: string;
  let services: AppServices;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'patchbay-csp-'));
    services = await startAppServices({ dataDir, host: 'web', publicRoutes: (app) => mountStaticRenderer(app, rendererFolder) });
  });
  afterAll(async () => {
    await services.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("lets the page reach the proxy's own port and no other", () => {
    const csp = rendererCsp(53_122);
    expect(csp).toContain("connect-src 'self' http://127.0.0.1:53122 http://*.localhost:53122;");
    expect(csp).not.toMatch(/:\*/);
    expect(csp).toContain("script-src 'self';");
    expect(() => rendererCsp(0)).toThrow("the renderer's CSP needs the proxy's port, not 0");
  });

  it('is one header naming the port the page was served from, with no second policy in the page', async () => {
    const response = await fetch(`${services.proxy.url}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toBe(rendererCsp(services.proxy.port));
    const page = await response.text();
    expect(page).toContain('<div id="root">');
    expect(page.toLowerCase()).not.toContain('content-security-policy');
    expect(readFileSync(join(rendererFolder, 'index.html'), 'utf8').toLowerCase()).not.toContain('content-security-policy');
  });
});
