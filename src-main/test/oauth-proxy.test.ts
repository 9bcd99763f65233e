import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerEntry } from '../../src-shared/catalog';
import type { ServerAuthState } from '../../src-shared/oauth';
import { emitAuthStates, headlessOpener, startOAuth, type OAuthEngine, type OpenBrowser, type SignInPolicy } from '../services/oauth';
import { connectClient, firstText, startTestProxy, waitFor, type TestClient, type TestProxy } from './helpers';
import { envelope, modernHeaders } from './modern-helpers';
import { startProtectedMcpServer, startTestAuthServer, type ProtectedMcpServer, type TestAuthServer, type TestAuthServerOptions } from './oauth-test-servers';

// OAuth through the proxy against a real authorization server and a protected MCP server (oauth-test-servers.ts):
// an SDK client that knows nothing of OAuth reaches the server through the proxy once Patchbay signed in.

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Setup {
  auth: TestAuthServer;
  mcp: ProtectedMcpServer;
  engine: OAuthEngine;
  proxy: TestProxy;
  entry: ServerEntry;
  states: ServerAuthState[];
}

async function setUp(
  options: { as?: TestAuthServerOptions; policy?: SignInPolicy; resource?: string; openBrowser?: OpenBrowser; dataDir?: string; codec?: { encrypt(v: string): string; decrypt(v: string): string } } = {},
): Promise<Setup> {
  const auth = await startTestAuthServer(options.as);
  cleanups.push(() => auth.close());
  const mcp = await startProtectedMcpServer({ authServer: auth, resource: options.resource });
  cleanups.push(() => mcp.close());
  const entry: ServerEntry = { name: 'remote', transport: 'streamable-http', url: mcp.url, headers: {} };
  const engine = await startOAuth({
    dataDir: options.dataDir,
    codec: options.codec,
    catalog: { get: (name) => (name === entry.name ? entry : undefined) },
    policy: options.policy ?? 'ask',
    openBrowser: options.openBrowser ?? headlessOpener(),
    browserTimeoutMs: 20_000,
  });
  cleanups.push(() => engine.service.close());
  const proxy = await startTestProxy([entry], { session: { remoteAuth: engine.remoteAuth } });
  cleanups.push(() => proxy.close());
  emitAuthStates(engine.service, proxy.bus);
  const states: ServerAuthState[] = [];
  proxy.bus.subscribe((event) => {
    if (event.type === 'auth-state') states.push(event.state);
  });
  return { auth, mcp, engine, proxy, entry, states };
}

async function connect(proxy: TestProxy): Promise<TestClient> {
  const client = await connectClient(proxy, 'remote', 'streamable-http');
  cleanups.push(() => client.close());
  return client;
}

async function signIn(setup: Setup): Promise<ServerAuthState> {
  await setup.engine.service.start('remote', 'all');
  await waitFor(() => !['in-progress', 'waiting-for-browser'].includes(setup.engine.service.state('remote').status), 'the sign-in to end', 20_000);
  return setup.engine.service.state('remote');
}

/** Every token the authorization server issued, as the servers saw them. */
function tokensSeen(mcp: ProtectedMcpServer): string[] {
  return [...new Set(mcp.seenAuthorization.filter((value): value is string => value !== undefined).map((value) => value.replace(/^Bearer /, '')))];
}

describe('OAuth through the proxy', () => {
  it('a 401 ends the connect as needs sign-in; after signing in, a client that knows nothing of OAuth lists and calls tools, and no token reaches an event', async () => {
    const setup = await setUp();
    await expect(connect(setup.proxy)).rejects.toThrow();
    await waitFor(() => setup.proxy.events.some((event) => event.type === 'session-closed' && event.reason === 'needs-sign-in'), 'the session to close as needs-sign-in');
    const needs = setup.engine.service.state('remote');
    expect(needs.status).toBe('needs-sign-in');
    expect(needs.challenge).toMatchObject({ status: 401, resourceMetadata: expect.stringContaining('/.well-known/oauth-protected-resource/mcp') });

    const signedIn = await signIn(setup);
    expect(signedIn).toMatchObject({ status: 'signed-in', issuer: setup.auth.issuer, registration: 'dynamic', hasRefreshToken: true, scopes: ['mcp:tools', 'offline_access'] });
    expect(signedIn.steps.map((step) => [step.kind, step.state])).toEqual([
      ['protected-resource-metadata', 'done'],
      ['authorization-server-metadata', 'done'],
      ['client-registration', 'done'],
      ['authorization', 'done'],
      ['token', 'done'],
    ]);
    // PKCE S256 and the resource went to the authorization server.
    expect(setup.auth.provider.authorizations[0]).toMatchObject({ resource: new URL(setup.mcp.url), scopes: ['mcp:tools', 'offline_access'] });

    const client = await connect(setup.proxy);
    expect((await client.client.listTools()).tools.map((tool) => tool.name)).toEqual(['whoami', 'admin-op']);
    expect(JSON.parse(firstText(await client.client.callTool({ name: 'whoami', arguments: {} })))).toMatchObject({ scopes: ['mcp:tools', 'offline_access'] });

    const tokens = tokensSeen(setup.mcp);
    expect(tokens.length).toBeGreaterThan(0);
    const everything = JSON.stringify([setup.proxy.events, setup.states, setup.engine.service.state('remote')]);
    for (const token of tokens) expect(everything).not.toContain(token);
    expect(everything).toContain('(redacted,');
  });

  it('inline (headless): the client connects at once; the proxy signs in on the 401 and retries', async () => {
    const setup = await setUp({ policy: 'inline' });
    const client = await connect(setup.proxy);
    expect(firstText(await client.client.callTool({ name: 'whoami', arguments: {} }))).toContain('mcp:tools');
    expect(setup.engine.service.state('remote').status).toBe('signed-in');
    expect(setup.auth.provider.authorizations).toHaveLength(1);
  });

  it('step by step: each runNextAuthStep runs one step and says which comes next', async () => {
    const setup = await setUp();
    let state = await setup.engine.service.start('remote', 'step');
    const seen: string[] = [];
    while (state.nextStep) {
      seen.push(state.nextStep);
      state = await setup.engine.service.next('remote');
      if (state.status === 'waiting-for-browser') {
        expect(state.authorizationUrl).toContain('code_challenge_method=S256');
        await waitFor(() => setup.engine.service.state('remote').nextStep !== undefined, 'the browser step to end', 20_000);
        state = setup.engine.service.state('remote');
      }
    }
    expect(seen).toEqual(['protected-resource-metadata', 'authorization-server-metadata', 'client-registration', 'authorization', 'token']);
    expect(state.status).toBe('signed-in');
  });

  it('refuses an authorization response whose iss is another issuer, before the code is redeemed (RFC 9207)', async () => {
    const setup = await setUp({ as: { iss: 'wrong' } });
    const state = await signIn(setup);
    expect(state.status).toBe('failed');
    const failed = state.steps.find((step) => step.state === 'failed');
    expect(failed).toMatchObject({ kind: 'authorization', failure: { reference: expect.stringContaining('RFC 9207 §2.4'), message: expect.stringContaining('https://evil.example.com') } });
    expect(setup.auth.provider.authorizations).toHaveLength(1);
    expect(setup.auth.provider.tokenRequests).toBe(0);
  });

  it('refuses a response without iss from a server that advertises it, and proceeds without iss when it does not', async () => {
    const missing = await setUp({ as: { iss: 'none', issAdvertised: true } });
    expect(await signIn(missing)).toMatchObject({ status: 'failed', error: expect.stringContaining('has none') });
    expect(missing.auth.provider.tokenRequests).toBe(0);
    const quiet = await setUp({ as: { iss: 'none', issAdvertised: false } });
    expect((await signIn(quiet)).status).toBe('signed-in');
  });

  it('discards an authorization response with another state', async () => {
    // A browser that comes back with a state of its own (a forged or replayed redirect).
    const forging: OpenBrowser = async (url) => {
      const redirect = await fetch(url, { redirect: 'manual' });
      const location = new URL(redirect.headers.get('location')!);
      location.searchParams.set('state', 'forged');
      await fetch(location);
    };
    const setup = await setUp({ openBrowser: forging });
    const state = await signIn(setup);
    expect(state.steps.find((step) => step.state === 'failed')).toMatchObject({ kind: 'authorization', failure: { reference: expect.stringContaining('RFC 6749 §10.12') } });
    expect(setup.auth.provider.tokenRequests).toBe(0);
  });

  it('refuses protected resource metadata for another resource, before anything goes to the authorization server', async () => {
    const setup = await setUp({ resource: 'https://evil.example.com/mcp' });
    const state = await signIn(setup);
    expect(state.steps.find((step) => step.state === 'failed')).toMatchObject({
      kind: 'protected-resource-metadata',
      failure: { message: expect.stringContaining('https://evil.example.com/mcp'), reference: expect.stringContaining('RFC 9728 §3.3') },
    });
    expect(setup.auth.provider.authorizations).toHaveLength(0);
  });

  it('refreshes a token about to expire before it is used, and refreshes and retries once on a 401', async () => {
    const setup = await setUp({ as: { accessTokenTtlSeconds: 30 } });
    await signIn(setup);
    // 30 s is within the minute's margin: the first use refreshes it.
    const client = await connect(setup.proxy);
    expect(setup.auth.provider.refreshRequests).toBeGreaterThanOrEqual(1);
    const before = setup.auth.provider.refreshRequests;
    setup.auth.provider.revokeAccessTokens();
    expect(firstText(await client.client.callTool({ name: 'whoami', arguments: {} }))).toContain('mcp:tools');
    expect(setup.auth.provider.refreshRequests).toBeGreaterThan(before);
    const state = setup.engine.service.state('remote');
    expect(state.status).toBe('signed-in');
    expect(state.steps.filter((step) => step.kind === 'refresh').every((step) => step.state === 'done')).toBe(true);
  });

  it('steps up on 403 insufficient_scope with the scopes asked before and the new one, and stops at the limit', async () => {
    const setup = await setUp({ policy: 'inline' });
    const client = await connect(setup.proxy);
    expect(firstText(await client.client.callTool({ name: 'admin-op', arguments: {} }))).toBe('admin done');
    expect(setup.auth.provider.authorizations.map((params) => params.scopes)).toEqual([
      ['mcp:tools', 'offline_access'],
      ['mcp:tools', 'offline_access', 'mcp:admin'],
    ]);

    const stingy = await setUp({ policy: 'inline', as: { neverGrant: ['mcp:admin'] } });
    const other = await connect(stingy.proxy);
    await expect(other.client.callTool({ name: 'admin-op', arguments: {} })).rejects.toThrow(/step-up limit of 2 per request was reached/);
    // The first sign-in and two step-ups, no more.
    expect(stingy.auth.provider.authorizations).toHaveLength(3);
    expect(stingy.engine.service.state('remote').error).toContain('step-up limit of 2');
  });

  it('sign out forgets the tokens: the next connect needs sign-in again', async () => {
    const setup = await setUp();
    await signIn(setup);
    await (await connect(setup.proxy)).close();
    const out = await setup.engine.service.signOut('remote');
    expect(out).toMatchObject({ status: 'signed-out', hasRefreshToken: false, steps: [] });
    await expect(connect(setup.proxy)).rejects.toThrow();
    expect(setup.engine.service.state('remote').status).toBe('needs-sign-in');
  });

  it('keeps tokens sealed on disk with the codec, and a restart signs in from them', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'patchbay-oauth-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const codec = {
      encrypt: (plain: string) => Buffer.from(plain.split('').reverse().join('')).toString('base64'),
      decrypt: (sealed: string) => Buffer.from(sealed, 'base64').toString().split('').reverse().join(''),
    };
    const setup = await setUp({ dataDir, codec });
    await signIn(setup);
    await connect(setup.proxy);
    const onDisk = readFileSync(join(dataDir, 'oauth-tokens.json'), 'utf8');
    for (const token of tokensSeen(setup.mcp)) expect(onDisk).not.toContain(token);
    expect(onDisk).not.toMatch(/rt-[0-9a-f-]{36}/);
    expect(onDisk).toContain('patchbay-sealed:v1:');

    const reopened = await startOAuth({ dataDir, codec, catalog: { get: () => setup.entry }, policy: 'ask' });
    cleanups.push(() => reopened.service.close());
    expect(reopened.service.state('remote')).toMatchObject({ status: 'signed-in', issuer: setup.auth.issuer });
  });

  it('modern era: a stateless POST says the server needs sign-in, and carries the token once signed in', async () => {
    const setup = await setUp();
    const post = () =>
      fetch(`${setup.proxy.url}/servers/remote/mcp`, {
        method: 'POST',
        headers: modernHeaders(setup.proxy, 'tools/list'),
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: { _meta: envelope() } }),
      });
    const refused = await post();
    expect(refused.status).toBe(502);
    expect(JSON.stringify(await refused.json())).toContain('needs sign-in (OAuth)');
    expect(setup.engine.service.state('remote').status).toBe('needs-sign-in');

    await signIn(setup);
    const answered = await post();
    // The legacy fixture answers a modern request as a legacy server does (its own refusal, relayed): what matters
    // is that it got past the bearer check with Patchbay's token.
    const text = await answered.text();
    expect(answered.status).not.toBe(502);
    expect(text).not.toContain('needs sign-in');
    expect(setup.mcp.seenAuthorization.at(-1)).toMatch(/^Bearer at-/);
  });
});
