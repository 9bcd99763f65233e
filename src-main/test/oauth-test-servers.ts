import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Request, type Response } from 'express';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { requireBearerAuth } from '@modelcontextprotocol/sdk/server/auth/middleware/bearerAuth.js';
import { createOAuthMetadata, mcpAuthRouter } from '@modelcontextprotocol/sdk/server/auth/router.js';
import type { AuthorizationParams, OAuthServerProvider } from '@modelcontextprotocol/sdk/server/auth/provider.js';
import type { OAuthRegisteredClientsStore } from '@modelcontextprotocol/sdk/server/auth/clients.js';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import type { OAuthClientInformationFull, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';

// A real authorization server and a protected MCP server for the OAuth engine's tests, both on 127.0.0.1, built on
// the SDK's own server side: its auth router (authorize, token with the PKCE check, Dynamic Client Registration,
// RFC 8252 loopback redirects) in front of a provider that approves at once (no person in a test), and its bearer
// middleware in front of a stateless MCP server. Knobs let a test make the authorization server misbehave the ways
// the spec forbids (a wrong or missing `iss`), issue short-lived or refreshable tokens, and the MCP server ask for
// more scope (403 insufficient_scope) or name another resource.

/** How the authorization response names its issuer (RFC 9207). */
export type IssMode = 'correct' | 'wrong' | 'none';

export interface TestAuthServerOptions {
  iss?: IssMode;
  /** Whether the metadata says `authorization_response_iss_parameter_supported` (default true). */
  issAdvertised?: boolean;
  accessTokenTtlSeconds?: number;
  /** Issue refresh tokens (default true). */
  refreshTokens?: boolean;
  /** Scopes it never grants, whatever is asked for (a step-up that cannot succeed). */
  neverGrant?: string[];
}

class ClientsStore implements OAuthRegisteredClientsStore {
  readonly clients = new Map<string, OAuthClientInformationFull>();
  async getClient(clientId: string): Promise<OAuthClientInformationFull | undefined> {
    return this.clients.get(clientId);
  }
  async registerClient(client: OAuthClientInformationFull): Promise<OAuthClientInformationFull> {
    this.clients.set(client.client_id, client);
    return client;
  }
}

interface IssuedToken {
  clientId: string;
  scopes: string[];
  expiresAt: number;
  resource?: URL;
}

/** The provider behind the SDK's auth router: approves every authorization request at once. */
export class AutoApproveProvider implements OAuthServerProvider {
  readonly clientsStore = new ClientsStore();
  private readonly codes = new Map<string, { client: OAuthClientInformationFull; params: AuthorizationParams }>();
  private readonly accessTokens = new Map<string, IssuedToken>();
  private readonly refreshTokens = new Map<string, IssuedToken>();
  /** What arrived, for the tests to check: each authorization request's params, and the token requests. */
  readonly authorizations: AuthorizationParams[] = [];
  tokenRequests = 0;
  refreshRequests = 0;
  iss: IssMode;

  constructor(
    private readonly issuer: () => string,
    private readonly options: TestAuthServerOptions,
  ) {
    this.iss = options.iss ?? 'correct';
  }

  async authorize(client: OAuthClientInformationFull, params: AuthorizationParams, res: Response): Promise<void> {
    this.authorizations.push(params);
    const code = randomUUID();
    this.codes.set(code, { client, params });
    const target = new URL(params.redirectUri);
    target.searchParams.set('code', code);
    if (params.state !== undefined) target.searchParams.set('state', params.state);
    if (this.iss === 'correct') target.searchParams.set('iss', this.issuer());
    if (this.iss === 'wrong') target.searchParams.set('iss', 'https://evil.example.com');
    res.redirect(target.toString());
  }

  async challengeForAuthorizationCode(_client: OAuthClientInformationFull, code: string): Promise<string> {
    const data = this.codes.get(code);
    if (!data) throw new Error('Invalid authorization code');
    return data.params.codeChallenge;
  }

  async exchangeAuthorizationCode(client: OAuthClientInformationFull, code: string, _verifier?: string, _redirectUri?: string, resource?: URL): Promise<OAuthTokens> {
    this.tokenRequests += 1;
    const data = this.codes.get(code);
    if (!data || data.client.client_id !== client.client_id) throw new Error('Invalid authorization code');
    this.codes.delete(code);
    const scopes = (data.params.scopes ?? []).filter((scope) => !(this.options.neverGrant ?? []).includes(scope));
    return this.issue({ clientId: client.client_id, scopes, resource: resource ?? data.params.resource });
  }

  async exchangeRefreshToken(client: OAuthClientInformationFull, refreshToken: string): Promise<OAuthTokens> {
    this.refreshRequests += 1;
    const data = this.refreshTokens.get(refreshToken);
    if (!data || data.clientId !== client.client_id) throw new Error('Invalid refresh token');
    this.refreshTokens.delete(refreshToken);
    return this.issue(data);
  }

  async verifyAccessToken(token: string): Promise<AuthInfo> {
    const data = this.accessTokens.get(token);
    if (!data || data.expiresAt < Date.now()) throw new Error('Invalid or expired token');
    return { token, clientId: data.clientId, scopes: data.scopes, expiresAt: Math.floor(data.expiresAt / 1000), resource: data.resource };
  }

  /** Every access token stops working at once (the server revoked them); refresh tokens still work. */
  revokeAccessTokens(): void {
    this.accessTokens.clear();
  }

  private issue(grant: Omit<IssuedToken, 'expiresAt'>): OAuthTokens {
    const ttl = this.options.accessTokenTtlSeconds ?? 3600;
    const token = `at-${randomUUID()}`;
    this.accessTokens.set(token, { ...grant, expiresAt: Date.now() + ttl * 1000 });
    const tokens: OAuthTokens = { access_token: token, token_type: 'Bearer', expires_in: ttl, scope: grant.scopes.join(' ') };
    if (this.options.refreshTokens !== false) {
      const refresh = `rt-${randomUUID()}`;
      this.refreshTokens.set(refresh, { ...grant, expiresAt: Number.MAX_SAFE_INTEGER });
      tokens.refresh_token = refresh;
    }
    return tokens;
  }
}

export interface TestAuthServer {
  /** The issuer exactly as its metadata names it. */
  issuer: string;
  provider: AutoApproveProvider;
  close(): Promise<void>;
}

async function listen(app: express.Express): Promise<{ server: Server; origin: string }> {
  const server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function stop(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** Starts the authorization server on 127.0.0.1 (a random port). */
export async function startTestAuthServer(options: TestAuthServerOptions = {}): Promise<TestAuthServer> {
  const app = express();
  const { server, origin } = await listen(app);
  const issuerUrl = new URL(origin);
  const provider = new AutoApproveProvider(() => issuerUrl.href, options);
  const metadata = { ...createOAuthMetadata({ provider, issuerUrl, scopesSupported: ['mcp:tools', 'mcp:admin', 'offline_access'] }), authorization_response_iss_parameter_supported: options.issAdvertised ?? true };
  // The metadata document with the RFC 9207 field; the SDK's router serves everything else.
  app.get('/.well-known/oauth-authorization-server', (_req, res) => void res.json(metadata));
  app.use(
    mcpAuthRouter({
      provider,
      issuerUrl,
      authorizationOptions: { rateLimit: false },
      tokenOptions: { rateLimit: false },
      clientRegistrationOptions: { rateLimit: false },
      revocationOptions: { rateLimit: false },
    }),
  );
  return { issuer: issuerUrl.href, provider, close: () => stop(server) };
}

export interface ProtectedMcpServer {
  /** The MCP endpoint, `http://127.0.0.1:PORT/mcp`. */
  url: string;
  /** The Authorization headers it received, in order (to check what the proxy sent). */
  seenAuthorization: Array<string | undefined>;
  close(): Promise<void>;
}

export interface ProtectedMcpServerOptions {
  authServer: TestAuthServer;
  /** What the protected resource metadata names as the resource (default: this server's URL). */
  resource?: string;
  /** Scopes listed in the protected resource metadata (default mcp:tools). */
  scopesSupported?: string[];
}

/**
 * Starts an MCP server behind the SDK's bearer middleware: 401 with `WWW-Authenticate` (resource_metadata) without
 * a valid token; the tool `admin-op` needs the scope `mcp:admin` (403 insufficient_scope naming it otherwise).
 */
export async function startProtectedMcpServer(options: ProtectedMcpServerOptions): Promise<ProtectedMcpServer> {
  const app = express();
  const { server, origin } = await listen(app);
  const url = `${origin}/mcp`;
  const prmUrl = `${origin}/.well-known/oauth-protected-resource/mcp`;
  const seenAuthorization: Array<string | undefined> = [];
  app.get('/.well-known/oauth-protected-resource/mcp', (_req, res) => {
    res.json({ resource: options.resource ?? url, authorization_servers: [options.authServer.issuer], scopes_supported: options.scopesSupported ?? ['mcp:tools'] });
  });
  app.use('/mcp', (req, _res, next) => {
    seenAuthorization.push(req.headers.authorization);
    next();
  });
  app.use('/mcp', requireBearerAuth({ verifier: options.authServer.provider, resourceMetadataUrl: prmUrl }));
  app.use('/mcp', express.json());
  app.post('/mcp', async (req: Request, res: Response) => {
    const body = req.body as { method?: string; params?: { name?: string } };
    if (body.method === 'tools/call' && body.params?.name === 'admin-op' && !(req.auth?.scopes ?? []).includes('mcp:admin')) {
      res
        .status(403)
        .set('WWW-Authenticate', `Bearer error="insufficient_scope", scope="mcp:admin", resource_metadata="${prmUrl}", error_description="admin-op needs mcp:admin"`)
        .json({ error: 'insufficient_scope' });
      return;
    }
    const mcp = new McpServer({ name: 'protected-fixture', version: '1.0.0' });
    mcp.registerTool('whoami', { description: 'Says which scopes the token carries' }, async (extra) => ({
      content: [{ type: 'text', text: JSON.stringify({ scopes: extra.authInfo?.scopes ?? [], clientId: extra.authInfo?.clientId }) }],
    }));
    mcp.registerTool('admin-op', { description: 'Needs the mcp:admin scope' }, async () => ({ content: [{ type: 'text', text: 'admin done' }] }));
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    res.on('close', () => {
      void transport.close();
      void mcp.close();
    });
    await mcp.connect(transport);
    await transport.handleRequest(req, res, req.body);
  });
  // Stateless: no standalone stream, no session to end.
  app.get('/mcp', (_req, res) => void res.status(405).set('Allow', 'POST').end());
  app.delete('/mcp', (_req, res) => void res.status(405).set('Allow', 'POST').end());
  return { url, seenAuthorization, close: () => stop(server) };
}
