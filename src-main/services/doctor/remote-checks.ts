import { lookup } from 'node:dns/promises';
import { isIP, connect as connectTcp } from 'node:net';
import { connect as connectTls, type PeerCertificate } from 'node:tls';
import { Client, SSEClientTransport, StreamableHTTPClientTransport, LATEST_PROTOCOL_VERSION, type Transport } from '@modelcontextprotocol/client';
import type { RemoteServerEntry } from '../../../src-shared/catalog';
import type { DoctorEvidence } from '../../../src-shared/doctor';
import { versionNegotiationFor } from '../../../src-shared/protocol-era';
import { isSocketUrl } from '../../../src-shared/socket-url';
import { errorMessage } from '../proxy/proxy-utils';
import { formatSeconds, type CheckOutcome, type DoctorStep } from './check-runner';

/** What the remote checks share: the entry, its headers, and what each step found for the next. */
export interface RemoteDoctorContext {
  entry: RemoteServerEntry;
  headers: Record<string, string>;
  /** Longest one network step may take. */
  timeoutMs: number;
  /** A response slower than this is worth a warning. */
  slowMs: number;
  /** Where the app shows a server's sign-in, for the 401 fix; the CLI names its own way. */
  signInHint: string;
  url?: URL;
  address?: string;
  status?: number;
  firstResponseMs?: number;
  answered?: 'streamable-http' | 'sse';
  handshakeMs?: number;
}

export function newRemoteContext(entry: RemoteServerEntry, options: { timeoutMs?: number; slowMs?: number; signInHint?: string } = {}): RemoteDoctorContext {
  return {
    entry,
    headers: { ...entry.headers },
    timeoutMs: options.timeoutMs ?? 10_000,
    slowMs: options.slowMs ?? 3_000,
    signInHint: options.signInHint ?? "open the server's Auth tab in Patchbay and sign in",
  };
}

function defaultPort(url: URL): number {
  return url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
}

/** A URL host as a socket takes it: `[::1]` → `::1`. */
function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

/** The URL parses as http:// or https://. */
export async function checkUrlParses(context: RemoteDoctorContext): Promise<CheckOutcome> {
  const text = context.entry.url;
  if (isSocketUrl(text)) return { status: 'failed', detail: `${text} is a local socket URL; the doctor diagnoses http:// and https:// URLs.`, fix: 'Connect to the server to see its error, or serve it on a TCP port to diagnose it here.' };
  if (!URL.canParse(text)) return { status: 'failed', detail: `"${text}" does not parse as a URL.`, fix: 'Write the full URL, starting with http:// or https://, for example https://example.com/mcp.' };
  const url = new URL(text);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { status: 'failed', detail: `The URL has the scheme "${url.protocol}", not http: or https:.`, fix: 'Use an http:// or https:// URL.' };
  context.url = url;
  return { status: 'passed', detail: `${url.protocol.slice(0, -1)} to ${url.host}, path ${url.pathname}.` };
}

/** The host name resolves to an address. */
export async function checkDns(context: RemoteDoctorContext): Promise<CheckOutcome> {
  const url = context.url!;
  const host = hostOf(url);
  if (isIP(host)) {
    context.address = host;
    return { status: 'passed', detail: `${host} is an address; nothing to look up.` };
  }
  try {
    const addresses = await lookup(host, { all: true });
    context.address = addresses[0]!.address;
    return { status: 'passed', detail: `${host} is ${addresses.map((entry) => entry.address).join(', ')}.` };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return {
      status: 'failed',
      detail: `The name ${host} does not resolve (${code ?? errorMessage(error)}).`,
      fix: 'Check the spelling of the host name; if it is on a private network, connect to that network (or its VPN) first.',
    };
  }
}

/** Something accepts a TCP connection at the address and port. */
export async function checkTcpConnect(context: RemoteDoctorContext): Promise<CheckOutcome> {
  const url = context.url!;
  const port = defaultPort(url);
  const address = context.address ?? hostOf(url);
  const started = performance.now();
  const problem = await new Promise<NodeJS.ErrnoException | 'timeout' | undefined>((resolve) => {
    const socket = connectTcp({ host: address, port });
    socket.setTimeout(context.timeoutMs, () => {
      socket.destroy();
      resolve('timeout');
    });
    socket.once('connect', () => {
      socket.destroy();
      resolve(undefined);
    });
    socket.once('error', (error) => resolve(error));
  });
  const where = `${address} port ${port}`;
  if (problem === undefined) return { status: 'passed', detail: `Connected to ${where} in ${Math.round(performance.now() - started)} ms.` };
  if (problem === 'timeout') return { status: 'failed', detail: `No answer from ${where} within ${formatSeconds(context.timeoutMs)}.`, fix: 'A firewall may drop the connection, or the host is down; check the port and that the server is reachable from this machine.' };
  if (problem.code === 'ECONNREFUSED') return { status: 'failed', detail: `Nothing listens on ${where} (connection refused).`, fix: 'Start the server, or check the port in the URL.' };
  return { status: 'failed', detail: `Could not connect to ${where}: ${problem.code ?? problem.message}.`, fix: 'Check the network between this machine and the server.' };
}

/** What Node's certificate error codes mean, in words. */
const CERTIFICATE_PROBLEMS: Readonly<Record<string, string>> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'the certificate is self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'the certificate chain ends in a self-signed certificate that is not trusted',
  CERT_HAS_EXPIRED: 'the certificate has expired',
  CERT_NOT_YET_VALID: 'the certificate is not valid yet (check the clock)',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'the certificate is signed by an authority that is not trusted (or the server does not send its intermediate certificates)',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'the certificate is signed by an authority this machine does not trust',
  ERR_TLS_CERT_ALTNAME_INVALID: 'the certificate is for another host name',
};

/** TLS: the handshake completes and the certificate is valid for the host. Plain http is skipped. */
export async function checkTls(context: RemoteDoctorContext): Promise<CheckOutcome> {
  const url = context.url!;
  if (url.protocol !== 'https:') return { status: 'skipped', detail: 'Plain http: there is no TLS to check.' };
  const host = hostOf(url);
  const result = await new Promise<{ certificate?: PeerCertificate; code?: string; error?: string }>((resolve) => {
    const socket = connectTls({ host: context.address ?? host, port: defaultPort(url), servername: isIP(host) ? undefined : host, rejectUnauthorized: false });
    socket.setTimeout(context.timeoutMs, () => {
      socket.destroy();
      resolve({ error: `no TLS handshake within ${formatSeconds(context.timeoutMs)}` });
    });
    socket.once('secureConnect', () => {
      const certificate = socket.getPeerCertificate();
      // With rejectUnauthorized off, Node still checks the chain and the host name, and leaves the verdict here.
      const verdict = socket.authorized ? undefined : String(socket.authorizationError);
      socket.destroy();
      resolve({ certificate, ...(verdict ? { code: verdict } : {}) });
    });
    socket.once('error', (error) => resolve({ error: (error as NodeJS.ErrnoException).code ?? error.message }));
  });
  if (result.error) return { status: 'failed', detail: `The TLS handshake failed: ${result.error}.`, fix: 'Check that the server speaks https on this port (an http server on an https URL fails this way).' };
  const certificate = result.certificate;
  const evidence: DoctorEvidence[] = certificate?.subject
    ? [{ label: 'Certificate', text: `subject ${certificate.subject.CN ?? '?'}; issuer ${certificate.issuer?.CN ?? certificate.issuer?.O ?? '?'}; valid ${certificate.valid_from} to ${certificate.valid_to}` }]
    : [];
  if (result.code) {
    const words = CERTIFICATE_PROBLEMS[result.code] ?? `the certificate was refused (${result.code})`;
    return {
      status: 'failed',
      detail: `The certificate is not accepted: ${words} (${result.code}).`,
      fix: 'Give the server a certificate from a trusted authority for this host name; for a local self-signed one, add its authority to the system\'s trusted certificates (or NODE_EXTRA_CA_CERTS).',
      evidence,
    };
  }
  return { status: 'passed', detail: 'The TLS handshake completed and the certificate is trusted.', evidence };
}

/** An initialize request as a Streamable HTTP client first posts it. */
function initializeBody(): string {
  return JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: LATEST_PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: 'mcp-patchbay-doctor', version: '0.1.0' } } });
}

/** The HTTP status of the server's first answer: a POST for Streamable HTTP, a GET of the event stream for HTTP+SSE. */
export async function checkHttpStatus(context: RemoteDoctorContext): Promise<CheckOutcome> {
  const url = context.url!;
  const started = performance.now();
  let response: Response;
  try {
    response = await firstRequest(context, context.entry.transport);
  } catch (error) {
    return { status: 'failed', detail: `The HTTP request failed: ${errorMessage(error)}.`, fix: 'Check the URL and that the server is running.' };
  }
  context.firstResponseMs = Math.round(performance.now() - started);
  context.status = response.status;
  const method = context.entry.transport === 'sse' ? 'GET' : 'POST';
  const statusLine = `${response.status} ${response.statusText}`.trim();
  await response.body?.cancel().catch(() => undefined);
  if (response.ok) return { status: 'passed', detail: `${method} ${url.pathname} answered ${statusLine} in ${context.firstResponseMs} ms.` };
  const challenge = response.headers.get('www-authenticate');
  if (response.status === 401) {
    return {
      status: 'failed',
      // The doctor sends only the entry's own headers, never a token from a sign-in, and says so.
      detail: `${method} ${url.pathname} answered ${statusLine}: the server wants a sign-in${challenge ? ' (it sent a WWW-Authenticate challenge)' : ''}. The doctor sends the entry's headers only, no token from a sign-in.`,
      fix: challenge && /bearer/i.test(challenge)
        ? `This server uses OAuth: ${context.signInHint}. If it takes an API token instead, add it as an Authorization header.`
        : 'Add the credentials the server expects, usually an Authorization header with a token.',
      evidence: challenge ? [{ label: 'WWW-Authenticate', text: challenge }] : [],
    };
  }
  if (response.status === 403) return { status: 'failed', detail: `${method} ${url.pathname} answered ${statusLine}: signed in, but not allowed.`, fix: 'The token lacks a permission (scope) the server wants; sign in again granting it, or ask the server\'s owner for access.', evidence: challenge ? [{ label: 'WWW-Authenticate', text: challenge }] : [] };
  if (response.status === 404) return { status: 'failed', detail: `${method} ${url.pathname} answered ${statusLine}: there is no MCP endpoint at this path.`, fix: 'Check the path of the URL: MCP servers usually serve /mcp (Streamable HTTP) or /sse (the older HTTP+SSE).' };
  if (response.status === 405) return { status: 'failed', detail: `${method} ${url.pathname} answered ${statusLine}: this endpoint does not take ${method}.`, fix: context.entry.transport === 'sse' ? 'The server may speak Streamable HTTP: set the transport to Streamable HTTP.' : 'The server may speak the older HTTP+SSE: set the transport to SSE (often at /sse).' };
  if (response.status >= 500) return { status: 'failed', detail: `${method} ${url.pathname} answered ${statusLine}: the server failed.`, fix: 'Look at the server\'s own logs; the error is on its side.' };
  return { status: 'failed', detail: `${method} ${url.pathname} answered ${statusLine}.`, fix: 'Check the URL and the headers the server expects.' };
}

/** The first request of a transport, bounded by the context's timeout. */
function firstRequest(context: RemoteDoctorContext, transport: RemoteServerEntry['transport']): Promise<Response> {
  const signal = AbortSignal.timeout(context.timeoutMs);
  if (transport === 'sse') return fetch(context.url!, { headers: { ...context.headers, Accept: 'text/event-stream' }, signal });
  return fetch(context.url!, {
    method: 'POST',
    headers: { ...context.headers, Accept: 'application/json, text/event-stream', 'Content-Type': 'application/json' },
    body: initializeBody(),
    signal,
  });
}

/** Which transport the server answered: Streamable HTTP (a POST gets a JSON-RPC answer) or HTTP+SSE (a GET gets an endpoint event). */
export async function checkTransport(context: RemoteDoctorContext): Promise<CheckOutcome> {
  const configured = context.entry.transport;
  if (context.status === 401 || context.status === 403) return { status: 'skipped', detail: 'Not tried: the server wants a sign-in first (see the HTTP status).' };
  const names = { 'streamable-http': 'Streamable HTTP', sse: 'the older HTTP+SSE' } as const;
  if (await answers(context, configured)) {
    context.answered = configured;
    return { status: 'passed', detail: `The server answered ${names[configured]}, the transport the entry is set to.` };
  }
  const other = configured === 'sse' ? 'streamable-http' : 'sse';
  if (await answers(context, other)) {
    context.answered = other;
    return { status: 'failed', detail: `The server answered ${names[other]}, not ${names[configured]} as the entry says.`, fix: `Set the server's transport to ${other === 'sse' ? 'SSE' : 'Streamable HTTP'}.` };
  }
  return { status: 'failed', detail: 'The server answered neither Streamable HTTP nor HTTP+SSE at this URL.', fix: 'Check that the URL is the MCP endpoint itself (usually /mcp or /sse), not the server\'s home page.' };
}

async function answers(context: RemoteDoctorContext, transport: RemoteServerEntry['transport']): Promise<boolean> {
  let response: Response;
  try {
    response = await firstRequest(context, transport);
  } catch {
    return false;
  }
  try {
    if (!response.ok) return false;
    const type = response.headers.get('content-type') ?? '';
    const sessionId = response.headers.get('mcp-session-id');
    if (transport === 'streamable-http') {
      const text = await readSome(response, 64 * 1024);
      if (sessionId) void fetch(context.url!, { method: 'DELETE', headers: { ...context.headers, 'Mcp-Session-Id': sessionId }, signal: AbortSignal.timeout(context.timeoutMs) }).then((reply) => reply.body?.cancel(), () => undefined);
      return (type.includes('application/json') || type.includes('text/event-stream')) && text.includes('"jsonrpc"');
    }
    if (!type.includes('text/event-stream')) return false;
    return (await readSome(response, 16 * 1024)).includes('event: endpoint');
  } finally {
    await response.body?.cancel().catch(() => undefined);
  }
}

/** Reads a response until it holds a JSON-RPC message or an endpoint event, or `limit` bytes. */
async function readSome(response: Response, limit: number): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const decoder = new TextDecoder();
  let text = '';
  while (text.length < limit && !/"jsonrpc"|event: endpoint/.test(text)) {
    const { done, value } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  await reader.cancel().catch(() => undefined);
  return text;
}

/** The SDK client completes the handshake over the transport that answered. */
export async function checkRemoteHandshake(context: RemoteDoctorContext): Promise<CheckOutcome> {
  const transportKind = context.answered ?? context.entry.transport;
  const requestInit = { headers: context.headers };
  const transport: Transport = transportKind === 'sse' ? new SSEClientTransport(context.url!, { requestInit }) : new StreamableHTTPClientTransport(context.url!, { requestInit });
  const client = new Client({ name: 'mcp-patchbay-doctor', version: '0.1.0' }, { capabilities: {}, versionNegotiation: { mode: versionNegotiationFor(context.entry.protocolEra ?? 'auto') } });
  const started = performance.now();
  try {
    await client.connect(transport, { timeout: context.timeoutMs });
  } catch (error) {
    return { status: 'failed', detail: `The handshake failed: ${errorMessage(error)}.`, fix: 'The server answered HTTP but not the MCP handshake; check that this URL is its MCP endpoint.' };
  } finally {
    context.handshakeMs = Math.round(performance.now() - started);
    if (transport instanceof StreamableHTTPClientTransport && transport.sessionId) await transport.terminateSession().catch(() => undefined);
    await client.close().catch(() => undefined);
  }
  const server = client.getServerVersion();
  return { status: 'passed', detail: `${server ? `${server.name} ${server.version}` : 'The server'} answered in ${context.handshakeMs} ms, speaking ${client.getNegotiatedProtocolVersion() ?? 'an unnamed version'} (the ${client.getProtocolEra() ?? 'legacy'} era).` };
}

/** Slow answers: hosts and users give up on a server that takes seconds to answer. */
export async function checkResponseTime(context: RemoteDoctorContext): Promise<CheckOutcome> {
  const slowest = Math.max(context.firstResponseMs ?? 0, context.handshakeMs ?? 0);
  const figures = `first answer ${context.firstResponseMs ?? '?'} ms, handshake ${context.handshakeMs ?? '?'} ms`;
  if (slowest > context.slowMs) return { status: 'warning', detail: `The server is slow to answer (${figures}).`, fix: 'A slow network or a server doing heavy work before it answers; hosts time out after a few seconds.' };
  return { status: 'passed', detail: `Answers came quickly (${figures}).` };
}

/** CORS only binds pages in a browser; Patchbay reaches servers from its own process. */
export async function checkCors(): Promise<CheckOutcome> {
  return { status: 'skipped', detail: 'CORS is not a factor here: Patchbay talks to the server from its own process, not from a web page, so the server\'s CORS headers neither help nor block it.' };
}

/** The remote checks, in the order they run. */
export const REMOTE_STEPS: ReadonlyArray<DoctorStep<RemoteDoctorContext>> = [
  { id: 'url-parses', title: 'The URL parses', run: checkUrlParses },
  { id: 'dns', title: 'The host name resolves', needs: ['url-parses'], run: checkDns },
  { id: 'tcp-connect', title: 'A TCP connection opens', needs: ['dns'], run: checkTcpConnect },
  { id: 'tls', title: 'TLS and the certificate', needs: ['tcp-connect'], run: checkTls },
  { id: 'http-status', title: 'The HTTP status', needs: ['tls'], run: checkHttpStatus },
  // Run after a failed status too: a 404 or 405 is often the other transport's endpoint.
  { id: 'transport', title: 'Streamable HTTP or HTTP+SSE', needs: ['tls'], run: checkTransport },
  { id: 'handshake', title: 'It answers the handshake', needs: ['http-status', 'transport'], run: checkRemoteHandshake },
  { id: 'response-time', title: 'It answers quickly', needs: ['handshake'], run: checkResponseTime },
  { id: 'cors', title: 'CORS', run: checkCors },
];
