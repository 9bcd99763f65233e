import { z } from 'zod';

/**
 * MCP Apps (the io.modelcontextprotocol/ui extension): what a UI resource declares (CSP domains, permissions), the
 * Content-Security-Policy the sandbox host sends with an app's document, and the mark on the requests an app makes.
 * Main builds the header from these; the renderer shows the same declaration in the app's debugging panel.
 */

/** The MIME type the extension gives a UI resource's HTML. */
export const APP_HTML_MIME_TYPE = 'text/html;profile=mcp-app';

/** A request an app sent through the bridge carries this `_meta` key, so the timeline can say it came from the app. */
export const FROM_APP_META_KEY = 'dev.mcp-patchbay/from-app';

/** At most this much HTML per app document (the sandbox host keeps a few in memory). */
export const MAX_APP_DOCUMENT_CHARS = 8 * 1024 * 1024;

/**
 * One CSP source a resource may name: a scheme and host (a leading `*.` allowed), an optional port. Anything else
 * (a quote, a semicolon, a keyword such as 'unsafe-eval', a bare `*`) could widen or break the policy: refused.
 */
const cspSource = z
  .string()
  .max(300)
  .regex(/^(https?|wss?):\/\/(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)*(:(\d{1,5}|\*))?\/?$/i, 'a CSP domain must be an origin such as https://cdn.example.com (a leading *. is allowed), not a keyword or a list');

export const AppCspSchema = z.object({
  connectDomains: z.array(cspSource).max(50).optional(),
  resourceDomains: z.array(cspSource).max(50).optional(),
  frameDomains: z.array(cspSource).max(50).optional(),
  baseUriDomains: z.array(cspSource).max(50).optional(),
});
export type AppCsp = z.infer<typeof AppCspSchema>;

/** The browser capabilities a resource may ask for (the iframe's `allow` attribute). */
export const AppPermissionsSchema = z.object({
  camera: z.object({}).optional(),
  microphone: z.object({}).optional(),
  geolocation: z.object({}).optional(),
  clipboardWrite: z.object({}).optional(),
});
export type AppPermissions = z.infer<typeof AppPermissionsSchema>;

/** What a UI resource's content declares in `_meta.ui` (only what Patchbay applies; other keys are kept out). */
export const AppResourceMetaSchema = z.object({
  csp: AppCspSchema.optional(),
  permissions: AppPermissionsSchema.optional(),
  prefersBorder: z.boolean().optional(),
});
export type AppResourceMeta = z.infer<typeof AppResourceMetaSchema>;

/** The api's openAppDocument input: one UI resource's HTML and declaration, read by the renderer from its server. */
export const OpenAppDocumentSchema = z.strictObject({
  server: z.string().min(1),
  resourceUri: z.string().startsWith('ui://', 'a UI resource uri starts with ui://').max(2048),
  html: z.string().max(MAX_APP_DOCUMENT_CHARS, `an app document is at most ${MAX_APP_DOCUMENT_CHARS} characters`),
  meta: AppResourceMetaSchema.default({}),
});
export type OpenAppDocument = z.infer<typeof OpenAppDocumentSchema>;

export const OpenedAppDocumentSchema = z.object({
  /** Where the iframe loads it: the sandbox origin, never Patchbay's own. */
  url: z.string(),
  origin: z.string(),
  /** The Content-Security-Policy header the document is served with. */
  csp: z.string(),
});
export type OpenedAppDocument = z.infer<typeof OpenedAppDocumentSchema>;

/**
 * The policy an app's document runs under, from its declaration: nothing from the network unless declared, inline
 * scripts and styles (apps are single files), no plugins, no forms posting anywhere, framed only by Patchbay.
 */
export function appDocumentCsp(csp: AppCsp | undefined, embedders: readonly string[]): string {
  const list = (domains: string[] | undefined, fallback: string): string => (domains && domains.length > 0 ? domains.join(' ') : fallback);
  const resources = (csp?.resourceDomains ?? []).join(' ');
  const withResources = (base: string): string => (resources ? `${base} ${resources}` : base);
  return [
    "default-src 'none'",
    withResources("script-src 'unsafe-inline'"),
    withResources("style-src 'unsafe-inline'"),
    withResources('img-src data: blob:'),
    withResources('font-src data:'),
    withResources('media-src data: blob:'),
    `connect-src ${list(csp?.connectDomains, "'none'")}`,
    `frame-src ${list(csp?.frameDomains, "'none'")}`,
    `base-uri ${list(csp?.baseUriDomains, "'self'")}`,
    "object-src 'none'",
    "form-action 'none'",
    `frame-ancestors ${embedders.length > 0 ? embedders.join(' ') : "'none'"}`,
  ].join('; ');
}

/** The message the sandbox host's relay script posts to the host for each CSP violation in an app's document. */
export const CSP_VIOLATION_MESSAGE = 'dev.mcp-patchbay/csp-violation';

export const CspViolationSchema = z.object({
  directive: z.string().max(200),
  blockedURI: z.string().max(2000),
  sourceFile: z.string().max(2000).optional(),
  line: z.number().optional(),
  sample: z.string().max(500).optional(),
});
export type CspViolation = z.infer<typeof CspViolationSchema>;

/** Whether a JSON-RPC request body (as the timeline keeps it) carries the from-app mark. */
export function isFromApp(body: unknown): boolean {
  if (typeof body !== 'object' || body === null) return false;
  const params = (body as { params?: unknown }).params;
  if (typeof params !== 'object' || params === null) return false;
  const meta = (params as { _meta?: unknown })._meta;
  return typeof meta === 'object' && meta !== null && (meta as Record<string, unknown>)[FROM_APP_META_KEY] === true;
}
