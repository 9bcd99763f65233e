import { describe, expect, it } from 'vitest';
import { appDocumentCsp, AppResourceMetaSchema, FROM_APP_META_KEY, isFromApp } from './apps';

describe("an MCP App's policy", () => {
  it('is closed by default: no network, no frames, no plugins, inline code only, framed by the named embedders', () => {
    expect(appDocumentCsp(undefined, ['app://patchbay'])).toBe(
      "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data: blob:; font-src data:; media-src data: blob:; connect-src 'none'; frame-src 'none'; base-uri 'self'; object-src 'none'; form-action 'none'; frame-ancestors app://patchbay",
    );
  });

  it('opens what the resource declares, each list to its own directives', () => {
    const csp = appDocumentCsp({ connectDomains: ['wss://live.example.com'], resourceDomains: ['https://*.cdn.example'], frameDomains: ['https://www.youtube.com'] }, []);
    expect(csp).toContain('connect-src wss://live.example.com');
    expect(csp).toContain("script-src 'unsafe-inline' https://*.cdn.example");
    expect(csp).toContain('img-src data: blob: https://*.cdn.example');
    expect(csp).toContain('frame-src https://www.youtube.com');
    expect(csp).toContain("frame-ancestors 'none'");
  });

  it('refuses a declared domain that would widen or break the policy, saying what a domain must be', () => {
    for (const bad of ["'unsafe-eval'", '*', 'https://a.example; script-src *', 'https://a.example https://b.example', 'javascript:alert(1)', 'data:']) {
      const parsed = AppResourceMetaSchema.safeParse({ csp: { connectDomains: [bad] } });
      expect(parsed.success, bad).toBe(false);
      expect(parsed.error?.issues[0]?.message).toContain('a CSP domain must be an origin');
    }
  });
});

describe('the from-app mark', () => {
  it('is read from a request body’s params._meta', () => {
    expect(isFromApp({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'x', _meta: { [FROM_APP_META_KEY]: true } } })).toBe(true);
    expect(isFromApp({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'x' } })).toBe(false);
    expect(isFromApp(undefined)).toBe(false);
  });
});
