import { afterEach, describe, expect, it } from 'vitest';
import { RUN_TAG } from '../test/helpers';
import { startOAuthFixture, type OAuthFixture, type OAuthFixtureOptions } from '../test/oauth-fixture';
import { DEFAULT_CONNECT_TIMEOUT_S, type ConnectOptions } from './connect-args';
import { runConnect } from './connect-run';

// npm run connect against a real authorization server (oidc-provider) in front of an OAuth-protected MCP server:
// the command's SDK client never handles OAuth; the proxy it starts signs in, with no person where the server
// approves at once.

/** The fixture's client registered in advance (oauth-authorization-server.mjs). */
const PREREGISTERED = { clientId: 'patchbay-preregistered', clientSecret: 'preregistered-secret-for-tests' };

let fixture: OAuthFixture | undefined;

afterEach(async () => {
  await fixture?.stop();
  fixture = undefined;
});

async function start(options: OAuthFixtureOptions = {}): Promise<OAuthFixture> {
  fixture = await startOAuthFixture({ autoApprove: true, tag: RUN_TAG, ...options });
  return fixture;
}

function connectOptions(url: string, more: Partial<ConnectOptions> = {}): ConnectOptions {
  return { url, transport: 'streamable-http', era: 'legacy', oauth: {}, timeoutMs: DEFAULT_CONNECT_TIMEOUT_S * 1000, json: false, ...more };
}

async function stats(origin: string): Promise<{ unauthorized: number; forbidden: number; authorized: number; tokens: number }> {
  return (await (await fetch(`${origin}/fixture/stats`)).json()) as { unauthorized: number; forbidden: number; authorized: number; tokens: number };
}

describe('npm run connect to an OAuth-protected server', () => {
  it('signs in without a person (Dynamic Client Registration, PKCE, resource), lists the tools and calls one', async () => {
    const { mcpUrl, issuer, origin } = await start();
    const report = await runConnect(connectOptions(mcpUrl, { call: { tool: 'whoami', args: {} } }));
    expect(report.error).toBeUndefined();
    expect(report.ok).toBe(true);
    expect(report.tools?.map((tool) => tool.name)).toEqual(expect.arrayContaining(['whoami', 'echo', 'admin-report']));
    expect(report.auth).toMatchObject({ status: 'signed-in', issuer, registration: 'dynamic', resource: mcpUrl });
    expect(report.auth?.steps.map((step) => [step.kind, step.state])).toEqual([
      ['protected-resource-metadata', 'done'],
      ['authorization-server-metadata', 'done'],
      ['client-registration', 'done'],
      ['authorization', 'done'],
      ['token', 'done'],
    ]);
    // The call went through with the token the proxy got: the server says whose it is.
    expect(JSON.stringify(report.call?.content)).toContain('ada');
    // The report never holds a token (only redacted exchanges).
    expect(JSON.stringify(report)).not.toMatch(/eyJ[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{20,}/);
    expect((await stats(origin)).authorized).toBeGreaterThan(0);
  });

  it('speaks the modern era to the same server when asked to, signing in the same way', async () => {
    const { mcpUrl } = await start();
    const report = await runConnect(connectOptions(mcpUrl, { era: 'auto', call: { tool: 'echo', args: { text: 'signed in' } } }));
    expect(report.error).toBeUndefined();
    expect(report.call?.content).toEqual([{ type: 'text', text: 'echo: signed in' }]);
    expect(report.auth?.status).toBe('signed-in');
  });

  it('steps up when a tool needs more scope (403 insufficient_scope), asking for the old and the new scopes', async () => {
    const { mcpUrl } = await start();
    const report = await runConnect(connectOptions(mcpUrl, { call: { tool: 'admin-report', args: {} } }));
    expect(report.error).toBeUndefined();
    expect(report.ok).toBe(true);
    expect(report.auth?.scopes).toEqual(expect.arrayContaining(['mcp:tools', 'mcp:admin']));
    // Both flows are reported: the first sign-in, then the step-up's.
    const kinds = report.auth?.steps.map((step) => step.kind) ?? [];
    expect(kinds.indexOf('token')).toBeLessThan(kinds.indexOf('step-up'));
    expect(report.auth?.steps.some((step) => step.kind === 'step-up' && step.state === 'done')).toBe(true);
  });

  it('uses the pre-registered client it is given, where the authorization server offers no registration', async () => {
    const { mcpUrl } = await start({ registration: false });
    const report = await runConnect(connectOptions(mcpUrl, { oauth: PREREGISTERED }));
    expect(report.error).toBeUndefined();
    expect(report.auth).toMatchObject({ status: 'signed-in', registration: 'pre-registered', clientId: PREREGISTERED.clientId });
    // Without it, there is no way to register, and the run says so.
    const refused = await runConnect(connectOptions(mcpUrl));
    expect(refused.ok).toBe(false);
    expect(refused.auth?.status).toBe('failed');
    expect(refused.error).toMatch(/registration|client id/i);
  });

  it('refuses a server whose metadata names another resource, before anything goes to the authorization server', async () => {
    const { mcpUrl } = await start({ prmResource: 'https://elsewhere.example.com/mcp' });
    const report = await runConnect(connectOptions(mcpUrl));
    expect(report.ok).toBe(false);
    const failed = report.auth?.steps.find((step) => step.state === 'failed');
    expect(failed?.kind).toBe('protected-resource-metadata');
    expect(failed?.failure?.message).toContain('https://elsewhere.example.com/mcp');
    expect(failed?.failure?.rule).toBeTruthy();
    // The run's error is the sign-in's, not only what the client was told.
    expect(report.error).toMatch(/^signing in failed: .*https:\/\/elsewhere\.example\.com\/mcp/);
    expect(report.auth?.steps.some((step) => step.kind === 'authorization' && step.state === 'done')).toBe(false);
  });

  it('prints the authorization URL for a person when the authorization server shows a sign-in page, and gives up at --timeout', async () => {
    const { mcpUrl, issuer } = await start({ autoApprove: false });
    const urls: string[] = [];
    const report = await runConnect(connectOptions(mcpUrl, { timeoutMs: 8_000 }), { onSignInUrl: (url) => urls.push(url) });
    expect(urls).toHaveLength(1);
    expect(urls[0]!.startsWith(issuer)).toBe(true);
    expect(new URL(urls[0]!).searchParams.get('code_challenge_method')).toBe('S256');
    expect(report.ok).toBe(false);
    expect(report.error).toMatch(/--timeout|browser/);
  });
});
