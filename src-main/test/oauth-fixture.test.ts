import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJwt } from 'jose';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import {
  discoverOAuthServerInfo,
  exchangeAuthorization,
  extractWWWAuthenticateParams,
  refreshAuthorization,
  registerClient,
  startAuthorization,
} from '@modelcontextprotocol/sdk/client/auth.js';
import type { OAuthClientInformationFull, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import { startOAuthFixture, type OAuthFixture } from './oauth-fixture';
import { RUN_TAG } from './helpers';
// @ts-expect-error: a plain ESM fixture without types
import { PREREGISTERED_CLIENT } from './fixtures/oauth-authorization-server.mjs';

// The test authorization server and the OAuth MCP fixture, driven by the SDK's own OAuth steps: what the engine's
// tests and the e2e rely on them for (DCR, PKCE, resource-bound JWTs, iss, refresh, step-up, the challenges).

const REDIRECT = 'http://127.0.0.1:45678/callback';

async function signIn(fixture: OAuthFixture, resource: string, scope: string, client?: OAuthClientInformationFull) {
  const info = await discoverOAuthServerInfo(resource);
  const metadata = info.authorizationServerMetadata!;
  const registered =
    client ??
    (await registerClient(info.authorizationServerUrl, {
      metadata,
      clientMetadata: {
        client_name: 'fixture test',
        redirect_uris: [REDIRECT],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'none',
        application_type: 'native',
      } as never,
    }));
  const { authorizationUrl, codeVerifier } = await startAuthorization(info.authorizationServerUrl, {
    metadata,
    clientInformation: registered,
    redirectUrl: REDIRECT,
    scope,
    state: 'state-123',
    resource: new URL(resource),
  });
  // autoApprove: one GET, no cookies, answered with the redirect to the client.
  const answer = await fetch(authorizationUrl, { redirect: 'manual' });
  expect(answer.status).toBe(303);
  const back = new URL(answer.headers.get('location')!);
  expect(back.origin + back.pathname).toBe(REDIRECT);
  const tokens = await exchangeAuthorization(info.authorizationServerUrl, {
    metadata,
    clientInformation: registered,
    authorizationCode: back.searchParams.get('code')!,
    codeVerifier,
    redirectUri: REDIRECT,
    resource: new URL(resource),
  });
  return { info, metadata, client: registered, back, tokens };
}

async function connect(url: string, tokens: OAuthTokens, kind: 'streamable' | 'sse' = 'streamable'): Promise<Client> {
  const withToken: typeof fetch = (input, init) => {
    const headers = new Headers(init?.headers);
    headers.set('Authorization', `Bearer ${tokens.access_token}`);
    return fetch(input, { ...init, headers });
  };
  const transport = kind === 'sse' ? new SSEClientTransport(new URL(url), { fetch: withToken }) : new StreamableHTTPClientTransport(new URL(url), { fetch: withToken });
  const client = new Client({ name: 'fixture-test', version: '1.0.0' });
  await client.connect(transport);
  return client;
}

function initialize(url: string, token?: string): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } } }),
  });
}

describe('the OAuth test fixtures', () => {
  let fixture: OAuthFixture;
  beforeAll(async () => {
    fixture = await startOAuthFixture({ autoApprove: true, accessTokenTtl: 2, tag: RUN_TAG });
  }, 60_000);
  afterAll(async () => {
    await fixture?.stop();
  });

  it('answers 401 with a challenge naming its metadata and scope, and the metadata names the issuer', async () => {
    const response = await initialize(fixture.mcpUrl);
    expect(response.status).toBe(401);
    const challenge = extractWWWAuthenticateParams(response);
    expect(challenge.scope).toBe('mcp:tools');
    expect(challenge.resourceMetadataUrl?.href).toBe(new URL('/.well-known/oauth-protected-resource/mcp', fixture.mcpUrl).href);
    const metadata = (await (await fetch(challenge.resourceMetadataUrl!)).json()) as Record<string, unknown>;
    expect(metadata).toMatchObject({ resource: fixture.mcpUrl, authorization_servers: [fixture.issuer], scopes_supported: ['mcp:tools', 'mcp:admin'] });
  });

  it('signs in with DCR, PKCE and a resource: a JWT for the MCP URL, iss in the redirect, a refresh token', async () => {
    const { metadata, back, tokens } = await signIn(fixture, fixture.mcpUrl, 'mcp:tools');
    expect(metadata.code_challenge_methods_supported).toEqual(['S256']);
    expect(metadata.registration_endpoint).toBeTruthy();
    expect((metadata as Record<string, unknown>).authorization_response_iss_parameter_supported).toBe(true);
    expect(back.searchParams.get('iss')).toBe(fixture.issuer);
    expect(back.searchParams.get('state')).toBe('state-123');
    expect(tokens.refresh_token).toBeTruthy();
    const claims = decodeJwt(tokens.access_token);
    expect(claims).toMatchObject({ iss: fixture.issuer, aud: fixture.mcpUrl, sub: 'ada', scope: 'mcp:tools' });
    expect(claims.exp! - claims.iat!).toBe(2);

    const client = await connect(fixture.mcpUrl, tokens);
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(['admin-report', 'echo', 'whoami']);
    await client.close();
  });

  it('signs in a pre-registered confidential client (its secret at the token endpoint, any loopback port)', async () => {
    const preregistered = { ...PREREGISTERED_CLIENT, redirect_uris: ['http://127.0.0.1/callback'] } as OAuthClientInformationFull;
    const { tokens } = await signIn(fixture, fixture.mcpUrl, 'mcp:tools', preregistered);
    expect(decodeJwt(tokens.access_token)).toMatchObject({ client_id: PREREGISTERED_CLIENT.client_id, aud: fixture.mcpUrl });
  });

  it('refuses an authorization request without PKCE', async () => {
    const { client } = await signIn(fixture, fixture.mcpUrl, 'mcp:tools');
    const url = new URL('/auth', fixture.issuer);
    url.search = new URLSearchParams({ client_id: client.client_id, response_type: 'code', redirect_uri: REDIRECT, scope: 'mcp:tools', state: 's', resource: fixture.mcpUrl }).toString();
    const answer = await fetch(url, { redirect: 'manual' });
    const back = new URL(answer.headers.get('location')!);
    expect(back.searchParams.get('error')).toBe('invalid_request');
    expect(back.searchParams.get('error_description')).toMatch(/PKCE/);
  });

  it('refuses a token for another resource, and an expired one; a refresh gives a working token again', async () => {
    const forSse = await signIn(fixture, fixture.sseUrl, 'mcp:tools');
    expect(decodeJwt(forSse.tokens.access_token).aud).toBe(fixture.sseUrl);
    const wrongAudience = await initialize(fixture.mcpUrl, forSse.tokens.access_token);
    expect(wrongAudience.status).toBe(401);
    expect(wrongAudience.headers.get('www-authenticate')).toMatch(/invalid_token/);
    const sseClient = await connect(fixture.sseUrl, forSse.tokens, 'sse');
    expect((await sseClient.listTools()).tools.length).toBe(3);
    await sseClient.close();

    const { info, metadata, client, tokens } = await signIn(fixture, fixture.mcpUrl, 'mcp:tools');
    await new Promise((resolve) => setTimeout(resolve, 3_100));
    const expired = await initialize(fixture.mcpUrl, tokens.access_token);
    expect(expired.status).toBe(401);
    expect(expired.headers.get('www-authenticate')).toMatch(/exp/);
    const refreshed = await refreshAuthorization(info.authorizationServerUrl, { metadata, clientInformation: client, refreshToken: tokens.refresh_token!, resource: new URL(fixture.mcpUrl) });
    expect(decodeJwt(refreshed.access_token).aud).toBe(fixture.mcpUrl);
    expect((await initialize(fixture.mcpUrl, refreshed.access_token)).status).toBe(200);
  }, 30_000);

  it('answers 401 to a revoked token that has not expired', async () => {
    const { tokens } = await signIn(fixture, fixture.mcpUrl, 'mcp:tools');
    expect((await initialize(fixture.mcpUrl, tokens.access_token)).status).toBe(200);
    await fetch(new URL('/fixture/revoke-tokens', fixture.origin), { method: 'POST' });
    expect((await initialize(fixture.mcpUrl, tokens.access_token)).status).toBe(401);
  });

  it('asks for mcp:admin with 403 insufficient_scope on admin-report, which works after a step-up', async () => {
    const first = await signIn(fixture, fixture.mcpUrl, 'mcp:tools');
    const client = await connect(fixture.mcpUrl, first.tokens);
    const refused = await client.callTool({ name: 'admin-report', arguments: {} }).then(
      () => 'answered',
      (error: Error) => error.message,
    );
    expect(refused).toMatch(/insufficient_scope/);
    await client.close();
    const raw = await fetch(fixture.mcpUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${first.tokens.access_token}` },
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'admin-report', arguments: {} } }),
    });
    expect(raw.status).toBe(403);
    expect(extractWWWAuthenticateParams(raw)).toMatchObject({ error: 'insufficient_scope', scope: 'mcp:tools mcp:admin' });

    const stepped = await signIn(fixture, fixture.mcpUrl, 'mcp:tools mcp:admin', first.client);
    expect(decodeJwt(stepped.tokens.access_token).scope).toBe('mcp:tools mcp:admin');
    const admin = await connect(fixture.mcpUrl, stepped.tokens);
    const result = (await admin.callTool({ name: 'admin-report', arguments: {} })) as { content: Array<{ text: string }> };
    expect(result.content[0]!.text).toBe('admin report: all systems nominal');
    await admin.close();
  });
});

describe('the sign-in page', () => {
  let fixture: OAuthFixture;
  beforeAll(async () => {
    fixture = await startOAuthFixture({ tag: RUN_TAG });
  }, 60_000);
  afterAll(async () => {
    await fixture?.stop();
  });

  it('shows one approve button, and approving (cookies kept, as a browser does) redirects with code and iss', async () => {
    const info = await discoverOAuthServerInfo(fixture.mcpUrl);
    const metadata = info.authorizationServerMetadata!;
    const client = await registerClient(info.authorizationServerUrl, {
      metadata,
      clientMetadata: { redirect_uris: [REDIRECT], token_endpoint_auth_method: 'none', grant_types: ['authorization_code', 'refresh_token'], application_type: 'native' } as never,
    });
    const { authorizationUrl } = await startAuthorization(info.authorizationServerUrl, { metadata, clientInformation: client, redirectUrl: REDIRECT, scope: 'mcp:tools', state: 'xyz', resource: new URL(fixture.mcpUrl) });
    const cookies = new Map<string, string>();
    const browse = async (url: URL, init: RequestInit = {}): Promise<Response> => {
      const response = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string>), cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
      for (const line of response.headers.getSetCookie()) {
        const [pair] = line.split(';');
        const at = pair!.indexOf('=');
        cookies.set(pair!.slice(0, at), pair!.slice(at + 1));
      }
      return response;
    };
    const toPage = await browse(authorizationUrl);
    expect(toPage.status).toBe(303);
    const pageUrl = new URL(toPage.headers.get('location')!, fixture.issuer);
    const page = await browse(pageUrl);
    const html = await page.text();
    expect(html).toContain('Sign in and allow');
    expect(html).toContain('mcp:tools');
    const approved = await browse(new URL(`${pageUrl.pathname}/approve`, fixture.issuer), { method: 'POST' });
    expect(approved.status).toBe(303);
    const resumed = await browse(new URL(approved.headers.get('location')!, fixture.issuer));
    const back = new URL(resumed.headers.get('location')!);
    expect(back.searchParams.get('code')).toBeTruthy();
    expect(back.searchParams.get('iss')).toBe(fixture.issuer);
    expect(back.searchParams.get('state')).toBe('xyz');
  });
});
