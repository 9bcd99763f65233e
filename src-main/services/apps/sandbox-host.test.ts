import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { CSP_VIOLATION_MESSAGE } from '../../../src-shared/apps';
import { startAppSandboxHost, type AppSandboxHost } from './sandbox-host';

const HTML = '<!doctype html><html><head><title>t</title></head><body><button>Go</button></body></html>';

function getWithHost(url: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const req = request({ hostname: target.hostname, port: target.port, path: target.pathname, headers: { host } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the MCP Apps sandbox host', () => {
  let host: AppSandboxHost | undefined;
  afterEach(async () => {
    await host?.close();
    host = undefined;
  });

  it("serves an app's document on its own loopback origin with the CSP of its declaration as a header, framed only by Patchbay", async () => {
    host = await startAppSandboxHost();
    host.allowEmbedders(['http://127.0.0.1:6280']);
    const opened = host.open({ server: 's', resourceUri: 'ui://s/app.html', html: HTML, meta: { csp: { connectDomains: ['https://api.example.com'] } } });
    expect(opened.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(opened.url.startsWith(`${opened.origin}/documents/`)).toBe(true);
    const response = await fetch(opened.url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toBe(opened.csp);
    expect(opened.csp).toContain('connect-src https://api.example.com');
    expect(opened.csp).toContain('frame-ancestors http://127.0.0.1:6280');
    expect(opened.csp).toContain("default-src 'none'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    const body = await response.text();
    // The violation relay comes first in <head>, the document itself after it unchanged.
    expect(body.startsWith('<!doctype html><html><head><script>')).toBe(true);
    expect(body).toContain(CSP_VIOLATION_MESSAGE);
    expect(body.endsWith('<title>t</title></head><body><button>Go</button></body></html>')).toBe(true);
  });

  it('answers 404 for an id it never gave and for everything else, and 403 to a Host that is not loopback', async () => {
    host = await startAppSandboxHost();
    const opened = host.open({ server: 's', resourceUri: 'ui://s/app.html', html: HTML, meta: {} });
    expect((await fetch(`${opened.origin}/documents/0123456789abcdef0123456789abcdef`)).status).toBe(404);
    expect((await fetch(`${opened.origin}/`)).status).toBe(404);
    expect((await fetch(`${opened.origin}/api/catalog`)).status).toBe(404);
    const rebound = await getWithHost(opened.url, 'attacker.example:80');
    expect(rebound.status).toBe(403);
    expect(rebound.body).toBe('Forbidden: not a loopback Host');
  });

  it('keeps the newest 32 documents: an older one is gone', async () => {
    host = await startAppSandboxHost();
    const first = host.open({ server: 's', resourceUri: 'ui://s/app.html', html: HTML, meta: {} });
    let last = first;
    for (let index = 0; index < 32; index += 1) last = host.open({ server: 's', resourceUri: 'ui://s/app.html', html: HTML, meta: {} });
    expect((await fetch(first.url)).status).toBe(404);
    expect((await fetch(last.url)).status).toBe(200);
  });
});
