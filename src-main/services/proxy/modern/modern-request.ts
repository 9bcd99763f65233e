import { z } from 'zod';
import { JSON_RPC_ERRORS, type JsonRpcId } from '../../../../src-shared/jsonrpc';
import { decodeHeaderValue, stripOptionalWhitespace } from './header-values';

/** The `_meta` keys of MCP 2026-07-28's per-request envelope. */
export const META_KEYS = {
  protocolVersion: 'io.modelcontextprotocol/protocolVersion',
  clientInfo: 'io.modelcontextprotocol/clientInfo',
  clientCapabilities: 'io.modelcontextprotocol/clientCapabilities',
  logLevel: 'io.modelcontextprotocol/logLevel',
  subscriptionId: 'io.modelcontextprotocol/subscriptionId',
  serverInfo: 'io.modelcontextprotocol/serverInfo',
} as const;

/** The first revision of the modern era; revisions are ISO dates, so later ones sort after it. */
export const FIRST_MODERN_VERSION = '2026-07-28';

/** Whether a version names a revision of the modern era (2026-07-28 or later). */
export function isModernVersion(version: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(version) && version >= FIRST_MODERN_VERSION;
}

/**
 * Whether a version a request claims is one of the legacy era (a revision before 2026-07-28). Anything else it
 * claims, a revision not yet known included, makes it a modern request, which the server then answers, with
 * UnsupportedProtocolVersion when it does not speak it (as the SDK classifies: the claim itself is the envelope).
 */
export function isLegacyVersion(version: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(version) && version < FIRST_MODERN_VERSION;
}

/**
 * Which body field the `Mcp-Name` header mirrors, per method (the spec's Standard Request Headers, and the tasks
 * extension's binding for `tasks/*`).
 */
const NAME_HEADER_SOURCE: Readonly<Record<string, string>> = {
  'tools/call': 'name',
  'prompts/get': 'name',
  'resources/read': 'uri',
  'tasks/get': 'taskId',
  'tasks/update': 'taskId',
  'tasks/cancel': 'taskId',
};

const LOG_LEVELS = ['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency'] as const;

const ImplementationSchema = z.looseObject({ name: z.string(), version: z.string() });

/** The per-request envelope: a version and the client's capabilities are required, identity and log level optional. */
const EnvelopeSchema = z.looseObject({
  [META_KEYS.protocolVersion]: z.string().min(1, 'must name a protocol version'),
  [META_KEYS.clientCapabilities]: z.record(z.string(), z.unknown(), 'must be an object of client capabilities'),
  [META_KEYS.clientInfo]: ImplementationSchema.optional(),
  [META_KEYS.logLevel]: z.enum(LOG_LEVELS).optional(),
});

const REQUIRED_META_KEYS = [META_KEYS.protocolVersion, META_KEYS.clientCapabilities];

const IdSchema = z.union([z.string(), z.int()], 'must be a string or an integer (never null)');

const ModernRequestSchema = z.looseObject({
  jsonrpc: z.literal('2.0', 'must be "2.0"'),
  id: IdSchema,
  method: z.string().min(1),
  params: z.looseObject({ _meta: z.looseObject({}) }),
});

const ModernNotificationSchema = z.looseObject({
  jsonrpc: z.literal('2.0', 'must be "2.0"'),
  method: z.string().min(1),
  params: z.looseObject({}).optional(),
});

export type ModernRequest = z.infer<typeof ModernRequestSchema>;
export type ModernNotification = z.infer<typeof ModernNotificationSchema>;

/** A refusal the client is owed before anything is forwarded: an HTTP status with a JSON-RPC error. */
export interface ModernRejection {
  status: number;
  code: number;
  message: string;
  id: JsonRpcId | null;
  data?: unknown;
}

export type ClassifiedPost =
  | { era: 'legacy' }
  | { era: 'modern'; kind: 'request'; message: ModernRequest; protocolVersion: string; accepts: AcceptedTypes }
  | { era: 'modern'; kind: 'notification'; message: ModernNotification; protocolVersion: string }
  | { era: 'modern'; kind: 'rejected'; rejection: ModernRejection };

/** What the client said it reads: a JSON answer, an SSE stream, or both. */
export interface AcceptedTypes {
  json: boolean;
  eventStream: boolean;
}

/** The request headers the classification reads. */
export type HeaderLookup = (name: string) => string | undefined;

/**
 * Classifies a Streamable HTTP POST that names no session. The body decides (the version header is a cross-check,
 * so a header lost on the way cannot change the era): a request whose `_meta` claims a 2026-07-28 or later version,
 * or one sent with such an MCP-Protocol-Version header, is modern; `initialize`, envelope-less requests and batches
 * are legacy and go the way they always went. A modern request is then validated, and what is wrong is refused
 * with the status and JSON-RPC error the spec names for it.
 */
export function classifyPost(body: unknown, header: HeaderLookup): ClassifiedPost {
  const versionHeader = optionalHeader(header('mcp-protocol-version'));
  const headerIsModern = versionHeader !== undefined && !isLegacyVersion(versionHeader);
  if (Array.isArray(body)) {
    if (body.some((element) => claimedVersion(element) !== undefined)) {
      return reject(400, JSON_RPC_ERRORS.invalidRequest, 'Bad Request: a JSON-RPC batch may not hold MCP 2026-07-28 requests; send each as its own POST', null);
    }
    return { era: 'legacy' };
  }
  if (!isObject(body)) return { era: 'legacy' };
  const claim = claimedVersion(body);
  if (body.method === 'initialize' && !(typeof claim === 'string' && !isLegacyVersion(claim))) return { era: 'legacy' };
  if (claim === undefined && !headerIsModern) return { era: 'legacy' };
  // A claim naming a legacy revision is a legacy request that happens to carry _meta.
  if (typeof claim === 'string' && isLegacyVersion(claim) && !headerIsModern) return { era: 'legacy' };

  const id = typeof body.id === 'string' || (typeof body.id === 'number' && Number.isInteger(body.id)) ? body.id : null;
  if ('result' in body || 'error' in body) {
    return reject(400, JSON_RPC_ERRORS.invalidRequest, 'Bad Request: a client may not post a JSON-RPC response in MCP 2026-07-28 (servers send no requests)', id);
  }
  if (body.id === undefined) return classifyNotification(body, versionHeader);

  const shape = ModernRequestSchema.safeParse(body);
  if (!shape.success) {
    const problem = describeIssue(shape.error.issues[0]!);
    // A request without params (or without params._meta) is missing its envelope.
    if (problem.path === 'params' || problem.path === 'params._meta') return missingEnvelope(id, versionHeader, [META_KEYS.protocolVersion, META_KEYS.clientCapabilities]);
    return reject(400, JSON_RPC_ERRORS.invalidRequest, `Invalid Request: ${problem.text}`, id);
  }
  const message = shape.data;
  const missing = REQUIRED_META_KEYS.filter((key) => !Object.hasOwn(message.params._meta, key));
  if (missing.length > 0) return missingEnvelope(id, versionHeader, missing);
  const envelope = EnvelopeSchema.safeParse(message.params._meta);
  if (!envelope.success) {
    const problem = describeIssue(envelope.error.issues[0]!, '_meta');
    return reject(400, JSON_RPC_ERRORS.invalidParams, `Invalid params: ${problem.text}`, id, { envelope: { key: problem.path } });
  }
  const version = envelope.data[META_KEYS.protocolVersion];

  // The request metadata headers mirror the body, which stays the source of truth; a disagreement is refused.
  if (versionHeader === undefined) return mismatch(id, `the required MCP-Protocol-Version header is missing (the body names ${version})`);
  if (versionHeader !== version) return mismatch(id, `the MCP-Protocol-Version header names ${versionHeader} but the body's _meta names ${version}`);
  const methodHeader = optionalHeader(header('mcp-method'));
  if (methodHeader === undefined) return mismatch(id, `the required Mcp-Method header is missing (the body names ${message.method})`);
  if (methodHeader !== message.method) return mismatch(id, `the Mcp-Method header names ${methodHeader} but the body names ${message.method}`);
  const nameField = Object.hasOwn(NAME_HEADER_SOURCE, message.method) ? NAME_HEADER_SOURCE[message.method]! : undefined;
  if (nameField !== undefined) {
    const bodyName = message.params[nameField];
    const nameHeader = header('mcp-name');
    if (typeof bodyName === 'string') {
      if (nameHeader === undefined) return mismatch(id, `the required Mcp-Name header is missing (params.${nameField} is "${bodyName}")`);
      const decoded = decodeHeaderValue(nameHeader);
      if (decoded === undefined) return mismatch(id, `the Mcp-Name header is not valid: "${nameHeader}" starts like =?base64?…?= but is not Base64 of UTF-8 text`);
      if (decoded !== bodyName) return mismatch(id, `the Mcp-Name header names "${decoded}" but params.${nameField} is "${bodyName}"`);
    }
  }

  const accepts = acceptedTypes(header('accept'));
  if (!accepts.json && !accepts.eventStream) {
    return reject(406, JSON_RPC_ERRORS.invalidRequest, 'Not Acceptable: the Accept header must list application/json and text/event-stream', id);
  }
  return { era: 'modern', kind: 'request', message, protocolVersion: version, accepts };
}

function classifyNotification(body: Record<string, unknown>, versionHeader: string | undefined): ClassifiedPost {
  const shape = ModernNotificationSchema.safeParse(body);
  if (!shape.success) return reject(400, JSON_RPC_ERRORS.invalidRequest, `Invalid Request: ${describeIssue(shape.error.issues[0]!).text}`, null);
  const claim = claimedVersion(body);
  if (claim !== undefined && typeof claim !== 'string') {
    return reject(400, JSON_RPC_ERRORS.invalidParams, `Invalid params: _meta["${META_KEYS.protocolVersion}"] must name a protocol version`, null);
  }
  if (claim !== undefined && versionHeader !== undefined && claim !== versionHeader) {
    return mismatch(null, `the MCP-Protocol-Version header names ${versionHeader} but the notification's _meta names ${claim}`);
  }
  return { era: 'modern', kind: 'notification', message: shape.data, protocolVersion: (claim as string | undefined) ?? versionHeader! };
}

/** Which of the two response types the Accept header allows (`*\/*` and `application/*` count). */
export function acceptedTypes(accept: string | undefined): AcceptedTypes {
  const types = (accept ?? '')
    .split(',')
    .map((part) => {
      const [type = '', ...parameters] = part.split(';').map((piece) => piece.trim().toLowerCase());
      const refused = parameters.some((parameter) => /^q=0(\.0*)?$/.test(parameter));
      return refused ? '' : type;
    })
    .filter(Boolean);
  const allows = (type: string): boolean => types.some((candidate) => candidate === type || candidate === '*/*' || candidate === `${type.split('/')[0]}/*`);
  return { json: allows('application/json'), eventStream: allows('text/event-stream') };
}

function missingEnvelope(id: JsonRpcId | null, versionHeader: string | undefined, keys: string[]): ClassifiedPost {
  const because = versionHeader !== undefined && !isLegacyVersion(versionHeader) ? `the MCP-Protocol-Version header names ${versionHeader}, but ` : '';
  return reject(400, JSON_RPC_ERRORS.invalidParams, `Invalid params: ${because}the request's _meta lacks the required ${keys.map((key) => `"${key}"`).join(' and ')}`, id, {
    envelope: { missing: keys },
  });
}

function mismatch(id: JsonRpcId | null, what: string): ClassifiedPost {
  return reject(400, JSON_RPC_ERRORS.headerMismatch, `Header mismatch: ${what}`, id);
}

function reject(status: number, code: number, message: string, id: JsonRpcId | null, data?: unknown): ClassifiedPost {
  return { era: 'modern', kind: 'rejected', rejection: { status, code, message, id, ...(data === undefined ? {} : { data }) } };
}

/** The version a message's `_meta` claims: a string, another value (a malformed claim), or undefined (no claim). */
function claimedVersion(message: unknown): unknown {
  if (!isObject(message) || !isObject(message.params) || !isObject(message.params._meta)) return undefined;
  return Object.hasOwn(message.params._meta, META_KEYS.protocolVersion) ? message.params._meta[META_KEYS.protocolVersion] : undefined;
}

function optionalHeader(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const stripped = stripOptionalWhitespace(value);
  return stripped === '' ? undefined : stripped;
}

function describeIssue(issue: z.core.$ZodIssue, prefix?: string): { path: string; text: string } {
  const [first, ...rest] = issue.path.map(String);
  const path = prefix !== undefined ? (first === undefined ? prefix : `${prefix}["${first}"]${rest.map((key) => `.${key}`).join('')}`) : issue.path.map(String).join('.');
  return { path: prefix !== undefined ? (first ?? prefix) : path, text: path ? `${path} ${issue.message}` : issue.message };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
