import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { stopChild } from './processes';

/** The test authorization server (oidc-provider): prints "issuer URL". */
export const OAUTH_AUTHORIZATION_SERVER = fileURLToPath(new URL('./fixtures/oauth-authorization-server.mjs', import.meta.url));
/** The OAuth-protected MCP fixture: prints "listening URL" (its Streamable HTTP endpoint). */
export const OAUTH_MCP_SERVER = fileURLToPath(new URL('./fixtures/oauth-mcp-server.mjs', import.meta.url));

export interface OAuthFixtureOptions {
  /** Approve every authorization without the sign-in page (tests with no person). Default false. */
  autoApprove?: boolean;
  /** Access-token lifetime in seconds (short ones test refresh). Default 3600. */
  accessTokenTtl?: number;
  /** Dynamic Client Registration at the authorization server. Default true. */
  registration?: boolean;
  /** Serve RFC 8414 metadata beside OpenID discovery. Default true. */
  rfc8414?: boolean;
  /** A resource the MCP fixture's metadata announces instead of its own URL (a resource mismatch). */
  prmResource?: string;
  /** The 401 challenge names `scope`. Default true. */
  challengeScope?: boolean;
  /** Goes on both command lines, so leak checks can tell these processes apart. */
  tag?: string;
}

/** A running authorization server and the MCP server it protects. */
export interface OAuthFixture {
  issuer: string;
  /** The MCP fixture's Streamable HTTP endpoint (`…/mcp`), the resource its tokens are for. */
  mcpUrl: string;
  /** Its HTTP+SSE endpoint (`…/sse`), a resource of its own. */
  sseUrl: string;
  /** The fixture's test hooks (`/fixture/stats`, `/fixture/revoke-tokens`) live under this origin. */
  origin: string;
  children: ChildProcess[];
  /** Ends both processes; resolves once both have exited. */
  stop(): Promise<void>;
}

/** Starts the authorization server, then the MCP fixture in front of it, both on free loopback ports. */
export async function startOAuthFixture(options: OAuthFixtureOptions = {}): Promise<OAuthFixture> {
  const tag = options.tag === undefined ? [] : [options.tag];
  const asArgs = [
    ...(options.autoApprove ? ['--auto-approve'] : []),
    ...(options.accessTokenTtl === undefined ? [] : ['--access-token-ttl', String(options.accessTokenTtl)]),
    ...(options.registration === false ? ['--no-registration'] : []),
    ...(options.rfc8414 === false ? ['--no-rfc8414'] : []),
  ];
  const authorizationServer = await startPrinting(OAUTH_AUTHORIZATION_SERVER, [...asArgs, ...tag], /issuer (http:\S+)/, 'the authorization server');
  try {
    const mcpArgs = [
      '--issuer',
      authorizationServer.printed,
      ...(options.prmResource === undefined ? [] : ['--prm-resource', options.prmResource]),
      ...(options.challengeScope === false ? ['--no-challenge-scope'] : []),
    ];
    const mcp = await startPrinting(OAUTH_MCP_SERVER, [...mcpArgs, ...tag], /listening (http:\S+)/, 'the OAuth MCP fixture');
    const mcpUrl = new URL(mcp.printed);
    return {
      issuer: authorizationServer.printed,
      mcpUrl: mcpUrl.href,
      sseUrl: new URL('/sse', mcpUrl).href,
      origin: mcpUrl.origin,
      children: [authorizationServer.child, mcp.child],
      stop: async () => {
        await Promise.all([stopChild(mcp.child), stopChild(authorizationServer.child)]);
      },
    };
  } catch (error) {
    await stopChild(authorizationServer.child);
    throw error;
  }
}

/** Spawns a fixture script with node and waits (10 s at most under load: 30 s) for the line it prints when ready. */
async function startPrinting(script: string, args: string[], ready: RegExp, what: string): Promise<{ child: ChildProcess; printed: string }> {
  const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  // oidc-provider warns at every start (Node 20, its in-memory store): expected here, so left out; the rest passes on.
  child.stderr!.on('data', (chunk: Buffer) => {
    const lines = chunk.toString().split('\n').filter((line) => line && !line.startsWith('oidc-provider WARNING'));
    if (lines.length > 0) process.stderr.write(`${lines.join('\n')}\n`);
  });
  try {
    const printed = await new Promise<string>((resolve, reject) => {
      let seen = '';
      const timer = setTimeout(() => reject(new Error(`${what} did not start within 30 s`)), 30_000);
      child.stdout!.on('data', (chunk: Buffer) => {
        seen += chunk.toString();
        const match = ready.exec(seen);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${what} exited with ${code} before it was ready`));
      });
    });
    return { child, printed };
  } catch (error) {
    await stopChild(child);
    throw error;
  }
}
