import { z } from 'zod';

// The client side of MCP authorization (spec 2026-07-28 and 2025-11-25, "Authorization"), as the UI sees it: the auth
// state of one remote server, the steps of its flow with their HTTP exchanges (secrets already redacted), and the
// per-server OAuth settings a catalog entry may carry. The engine lives in src-main/services/oauth; tokens never
// leave it: what crosses to the renderer, events and the timeline is built from the schemas here, redacted.

/** The steps of a flow, in the order they run (refresh and step-up happen later, on expiry, 401 or 403). */
export const AUTH_STEP_KINDS = [
  'protected-resource-metadata',
  'authorization-server-metadata',
  'client-registration',
  'authorization',
  'token',
  'refresh',
  'step-up',
] as const;
export type AuthStepKind = (typeof AUTH_STEP_KINDS)[number];

/** What each step is called in the debugger. */
export const AUTH_STEP_LABELS: Record<AuthStepKind, string> = {
  'protected-resource-metadata': 'Protected resource metadata',
  'authorization-server-metadata': 'Authorization server metadata',
  'client-registration': 'Client registration',
  authorization: 'Authorization (browser)',
  token: 'Token',
  refresh: 'Refresh',
  'step-up': 'Step-up',
};

export const AUTH_STEP_STATES = ['pending', 'running', 'done', 'failed', 'skipped'] as const;
export type AuthStepState = (typeof AUTH_STEP_STATES)[number];

/** One HTTP request of a step and its answer, with every token and secret redacted (redactSecret). */
export const AuthExchangeSchema = z.object({
  method: z.string(),
  url: z.string(),
  requestHeaders: z.record(z.string(), z.string()),
  requestBody: z.string().optional(),
  /** Absent when no answer came (a network error: see `error`). */
  status: z.number().int().optional(),
  responseHeaders: z.record(z.string(), z.string()),
  responseBody: z.string().optional(),
  /** Whether the bodies were cut at the cap the engine keeps per exchange. */
  truncated: z.boolean().optional(),
  /** Why no answer came: `connect ECONNREFUSED 127.0.0.1:9`. */
  error: z.string().optional(),
  startedAt: z.number(),
  durationMs: z.number(),
});
export type AuthExchange = z.infer<typeof AuthExchangeSchema>;

/** Why a step failed: what happened, the rule of the spec it broke in words, and where that rule is written. */
export const AuthFailureSchema = z.object({
  message: z.string(),
  /** The rule broken, in words: "the authorization response's iss must be the issuer the metadata named". */
  rule: z.string().optional(),
  /** Where the rule is written: "RFC 9207 §2.4", "MCP Authorization, Resource Parameter". */
  reference: z.string().optional(),
});
export type AuthFailure = z.infer<typeof AuthFailureSchema>;

export const AuthStepSchema = z.object({
  /** Unique within the server's state (a refresh or step-up repeated later gets a new id). */
  id: z.string(),
  kind: z.enum(AUTH_STEP_KINDS),
  state: z.enum(AUTH_STEP_STATES),
  startedAt: z.number().optional(),
  durationMs: z.number().optional(),
  /** What the step did or will do, as one sentence. */
  summary: z.string(),
  exchanges: z.array(AuthExchangeSchema),
  /**
   * What it found or chose, by name, for display: `issuer`, `resource`, `registration` (cimd | pre-registered |
   * dynamic), `clientId`, `scopes`, `tokenEndpointAuthMethod`, `metadataUrl`, `redirectUri`, `retry`, ...
   * Values are plain text (already redacted where secret).
   */
  details: z.record(z.string(), z.string()),
  failure: AuthFailureSchema.optional(),
});
export type AuthStep = z.infer<typeof AuthStepSchema>;

/**
 * Where a server is with authorization:
 * - `not-required`: nothing asked for it (no 401 yet, or the user set an Authorization header: no OAuth then);
 * - `signed-out`: it asked before, and there is no token (signed out, or forgotten);
 * - `needs-sign-in`: a request got a 401 and there is no token that works: the UI offers Sign in;
 * - `in-progress`: a flow is running (all at once, or one step at a time waiting for the next);
 * - `waiting-for-browser`: the authorization URL is open (or to be opened) in a browser, the loopback receiver waits;
 * - `signed-in`: there is a token for it;
 * - `failed`: the last flow failed (see `error` and the failed step).
 */
export const AUTH_STATUSES = ['not-required', 'signed-out', 'needs-sign-in', 'in-progress', 'waiting-for-browser', 'signed-in', 'failed'] as const;
export type AuthStatus = (typeof AUTH_STATUSES)[number];

/** Run the whole flow at once, or stop before each step until runNextAuthStep. */
export const AUTH_FLOW_MODES = ['all', 'step'] as const;
export type AuthFlowMode = (typeof AUTH_FLOW_MODES)[number];

/** What a 401 or 403's WWW-Authenticate (RFC 6750 §3, RFC 9728 §5.1) asked for, kept for the flow. */
export const AuthChallengeSchema = z.object({
  status: z.number().int(),
  resourceMetadata: z.string().optional(),
  scope: z.string().optional(),
  error: z.string().optional(),
  errorDescription: z.string().optional(),
});
export type AuthChallenge = z.infer<typeof AuthChallengeSchema>;

/** A server's auth state as the UI sees it: never a token, only what can be shown. */
export const ServerAuthStateSchema = z.object({
  /** The server's catalog name. */
  serverId: z.string(),
  status: z.enum(AUTH_STATUSES),
  /** The flow's mode while one runs. */
  mode: z.enum(AUTH_FLOW_MODES).optional(),
  /** In step mode: the step runNextAuthStep runs next. */
  nextStep: z.enum(AUTH_STEP_KINDS).optional(),
  /** The authorization server the token (or the flow) is for. */
  issuer: z.string().optional(),
  /** The canonical URI of the MCP server the token is for (the `resource` parameter, RFC 8707). */
  resource: z.string().optional(),
  clientId: z.string().optional(),
  /** How the client was registered: a Client ID Metadata Document, the user's own credentials, or DCR. */
  registration: z.enum(['cimd', 'pre-registered', 'dynamic']).optional(),
  scopes: z.array(z.string()).optional(),
  /** When the access token expires (ms since the epoch), when the server said. */
  expiresAt: z.number().optional(),
  hasRefreshToken: z.boolean(),
  steps: z.array(AuthStepSchema),
  /** While waiting for the browser: the URL to open (web mode opens it from the page; it holds no secret). */
  authorizationUrl: z.string().optional(),
  /** The decoded claims of the access token when it is a JWT (never the token itself). */
  tokenClaims: z.record(z.string(), z.unknown()).optional(),
  /** The last challenge the server sent (a 401's or 403's WWW-Authenticate). */
  challenge: AuthChallengeSchema.optional(),
  /** What went wrong, as one sentence (status `failed` or `needs-sign-in`). */
  error: z.string().optional(),
  updatedAt: z.number(),
});
export type ServerAuthState = z.infer<typeof ServerAuthStateSchema>;

/**
 * A remote server's OAuth settings in the catalog, all optional: credentials the user registered with the
 * authorization server beforehand, the scopes to ask for, and the URL of a Client ID Metadata Document to use as the
 * client_id where the authorization server supports it. `clientSecret` is a secret: sealed at rest and masked for the
 * renderer like secret headers. No MCP host's config knows these: export leaves them out.
 */
export const OAuthSettingsSchema = z.strictObject({
  clientId: z.string().trim().min(1, 'a client id cannot be empty').max(1000).optional(),
  clientSecret: z.string().max(4000).optional(),
  scopes: z.array(z.string().trim().min(1, 'a scope cannot be empty').regex(/^[^\s"\\]+$/, 'a scope is one word without spaces, quotes or backslashes')).max(100).optional(),
  clientMetadataUrl: z
    .string()
    .trim()
    .refine((value) => /^https:\/\//i.test(value) && URL.canParse(value) && new URL(value).pathname !== '/', {
      message: 'a client metadata document URL is an https:// URL with a path (MCP Authorization, Client ID Metadata Documents)',
    })
    .optional(),
});
export type OAuthSettings = z.infer<typeof OAuthSettingsSchema>;

/** The lifecycle event's sessionId for a server's auth state: it belongs to no session. */
export function authChannelId(serverId: string): string {
  return `auth:${serverId}`;
}

/** The words a failure caused by a missing or refused token says, so every host and the UI can tell it. */
export const NEEDS_SIGN_IN = 'needs sign-in';

// Redaction, done once here: the engine applies it to every exchange before it is recorded, so the state, the
// events and the timeline never hold a token or secret in clear.

/** A secret value as shown: its first four characters and its length, `eyJh…(redacted, 812 chars)`. */
export function redactSecret(value: string): string {
  if (value.length === 0) return value;
  // Short values would be given away by their first characters: only their length is shown.
  const shown = value.length >= 16 ? value.slice(0, 4) : '';
  return `${shown}…(redacted, ${value.length} chars)`;
}

/** Whether a text is already redacted by redactSecret (so it is not redacted twice). */
export function isRedacted(value: string): boolean {
  return /…\(redacted, \d+ chars\)$/.test(value);
}

/** Names (of JSON fields, form parameters or query parameters) whose values are secrets. */
export const SECRET_FIELD_NAMES: ReadonlySet<string> = new Set([
  'access_token',
  'refresh_token',
  'id_token',
  'client_secret',
  'code',
  'code_verifier',
  'registration_access_token',
  'client_assertion',
  'assertion',
  'password',
  'subject_token',
  'actor_token',
]);

/** Header names whose values are secrets (lower case). */
const SECRET_HEADER_NAMES: ReadonlySet<string> = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'dpop']);

/** A header's value as shown: a secret header keeps its scheme (`Bearer eyJh…(redacted, 812 chars)`). */
export function redactHeaderValue(name: string, value: string): string {
  if (!SECRET_HEADER_NAMES.has(name.toLowerCase())) return value;
  const scheme = /^(Bearer|Basic|DPoP|Token)\s+(.+)$/i.exec(value);
  return scheme ? `${scheme[1]} ${redactSecret(scheme[2]!)}` : redactSecret(value);
}

/** Headers as shown, names in lower case. */
export function redactHeaders(headers: Iterable<[string, string]> | Record<string, string>): Record<string, string> {
  const entries = Symbol.iterator in headers ? [...(headers as Iterable<[string, string]>)] : Object.entries(headers);
  return Object.fromEntries(entries.map(([name, value]) => [name.toLowerCase(), redactHeaderValue(name, value)]));
}

/** A URL as shown: secret query parameters (`code`, `access_token`, ...) redacted. */
export function redactUrl(url: string): string {
  if (!URL.canParse(url)) return url;
  const parsed = new URL(url);
  let changed = false;
  for (const [name, value] of [...parsed.searchParams]) {
    if (SECRET_FIELD_NAMES.has(name) && !isRedacted(value)) {
      parsed.searchParams.set(name, redactSecret(value));
      changed = true;
    }
  }
  return changed ? parsed.toString() : url;
}

/**
 * A request or response body as shown: in JSON, every secret field (at any depth) redacted; in a form-encoded
 * body, every secret parameter. Anything else is kept as it is (the token endpoint speaks only these two).
 */
export function redactBody(body: string, contentType?: string): string {
  const type = (contentType ?? '').toLowerCase();
  const trimmed = body.trimStart();
  if (type.includes('json') || trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return JSON.stringify(redactJson(JSON.parse(body)), null, 2);
    } catch {
      // Not JSON after all: fall through to the form check.
    }
  }
  if (type.includes('x-www-form-urlencoded') || (/^[\w.~-]+=[^&\s]*(&[\w.~-]+=[^&\s]*)*$/.test(trimmed) && !type.includes('html'))) {
    const params = new URLSearchParams(body);
    for (const [name, value] of [...params]) {
      if (SECRET_FIELD_NAMES.has(name) && !isRedacted(value)) params.set(name, redactSecret(value));
    }
    return decodeURIComponent(params.toString().replace(/\+/g, '%20'));
  }
  return body;
}

function redactJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactJson);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([key, inner]) => [
      key,
      SECRET_FIELD_NAMES.has(key) && typeof inner === 'string' ? redactSecret(inner) : redactJson(inner),
    ]),
  );
}
