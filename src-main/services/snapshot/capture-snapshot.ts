import { randomBytes } from 'node:crypto';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { z } from 'zod';
import { versionNegotiationFor, type ProtocolEraSetting } from '../../../src-shared/protocol-era';
import { SNAPSHOT_FORMAT, SNAPSHOT_VERSION, ServerSnapshotSchema, type ServerSnapshot, type SnapshotTool } from '../../../src-shared/server-snapshot';
import { OWNER_HEADER } from '../proxy/proxy-server';
import { errorMessage } from '../proxy/proxy-utils';
import { SnapshotError } from './snapshot-error';

const CLIENT_INFO = { name: 'mcp-patchbay-snapshot', version: '0.1.0' };
/** A list page as the server sent it: the items are checked one by one below, so one odd item names itself. */
const ListPage = z.looseObject({ nextCursor: z.string().optional() });
/** Pages one list may take before the capture gives up (a server whose cursor never ends). */
const MAX_PAGES = 200;

export interface CaptureOptions {
  /** The catalog server to snapshot. */
  server: string;
  /** The proxy to go through. */
  proxy: { url: string; token?: string | null };
  /** How the client negotiates the era (the entry's setting): auto probes server/discover, then initialize. */
  era?: ProtocolEraSetting;
  requestTimeoutMs?: number;
  /** The clock, for the snapshot's takenAt. */
  now?: () => number;
}

export function newSnapshotId(takenAt: number): string {
  return `${new Date(takenAt).toISOString().replace(/[:.]/g, '-')}-${randomBytes(3).toString('hex')}`;
}

/**
 * Connects to a server through Patchbay's proxy with the SDK client (initialize or server/discover as the era
 * setting says), lists its tools, resources, resource templates and prompts page by page (only the lists its
 * capabilities declare) and returns the snapshot. A server that cannot be reached or answers a list with an error
 * is a SnapshotError with the reason.
 */
export async function captureSnapshot(options: CaptureOptions): Promise<ServerSnapshot> {
  const endpoint = new URL(`${options.proxy.url}/servers/${encodeURIComponent(options.server)}/mcp`);
  const owner = `snapshot-${randomBytes(4).toString('hex')}`;
  const headers: Record<string, string> = { [OWNER_HEADER]: owner, ...(options.proxy.token ? { Authorization: `Bearer ${options.proxy.token}` } : {}) };
  const transport = new StreamableHTTPClientTransport(endpoint, { requestInit: { headers } });
  const client = new Client(CLIENT_INFO, { capabilities: {}, versionNegotiation: { mode: versionNegotiationFor(options.era ?? 'auto') } });
  const timeout = options.requestTimeoutMs ?? 30_000;
  const takenAt = (options.now ?? Date.now)();
  try {
    try {
      await client.connect(transport, { timeout });
    } catch (error) {
      throw new SnapshotError(`could not connect to "${options.server}": ${errorMessage(error)}`, { cause: error });
    }
    const capabilities = (client.getServerCapabilities() ?? {}) as Record<string, unknown>;
    const list = (method: string, field: string) => listAll(client, method, field, timeout, options.server);
    const info = client.getServerVersion();
    const instructions = client.getInstructions();
    const protocolVersion = client.getNegotiatedProtocolVersion();
    const snapshot = {
      format: SNAPSHOT_FORMAT,
      version: SNAPSHOT_VERSION,
      id: newSnapshotId(takenAt),
      takenAt,
      server: options.server,
      ...(info ? { serverInfo: { name: info.name, version: info.version, ...(typeof info.title === 'string' ? { title: info.title } : {}) } } : {}),
      ...(protocolVersion ? { protocolVersion } : {}),
      era: client.getProtocolEra() ?? 'legacy',
      capabilities,
      ...(instructions !== undefined ? { instructions } : {}),
      tools: capabilities.tools ? (await list('tools/list', 'tools')).map(toolOf) : [],
      resources: capabilities.resources ? (await list('resources/list', 'resources')).map((item) => pick(item, ['uri', 'name', 'title', 'description', 'mimeType'])) : [],
      resourceTemplates: capabilities.resources ? (await list('resources/templates/list', 'resourceTemplates')).map((item) => pick(item, ['uriTemplate', 'name', 'title', 'description', 'mimeType'])) : [],
      prompts: capabilities.prompts
        ? (await list('prompts/list', 'prompts')).map((item) => ({
            ...pick(item, ['name', 'title', 'description']),
            arguments: Array.isArray(item.arguments) ? item.arguments.map((argument: unknown) => pick(argument as Record<string, unknown>, ['name', 'title', 'description', 'required'])) : [],
          }))
        : [],
    };
    const parsed = ServerSnapshotSchema.safeParse(snapshot);
    if (!parsed.success) throw new SnapshotError(`"${options.server}" listed something a snapshot cannot hold: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
    return parsed.data;
  } finally {
    if (transport.sessionId) await transport.terminateSession().catch(() => undefined);
    await client.close().catch(() => undefined);
  }
}

/** Every item of a list, following nextCursor; the same cursor twice or too many pages is refused. */
async function listAll(client: Client, method: string, field: string, timeout: number, server: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  const seen = new Set<string>();
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    let result: z.infer<typeof ListPage>;
    try {
      result = await client.request({ method, ...(cursor !== undefined ? { params: { cursor } } : {}) }, ListPage, { timeout });
    } catch (error) {
      throw new SnapshotError(`"${server}" answered ${method} with an error: ${errorMessage(error)}`, { cause: error });
    }
    const pageItems = (result as Record<string, unknown>)[field];
    if (Array.isArray(pageItems)) items.push(...pageItems.filter((item): item is Record<string, unknown> => typeof item === 'object' && item !== null));
    cursor = result.nextCursor;
    if (cursor === undefined) return items;
    if (seen.has(cursor)) throw new SnapshotError(`"${server}" gave the cursor "${cursor}" twice in ${method}: its pages never end`);
    seen.add(cursor);
  }
  throw new SnapshotError(`"${server}" answered ${method} with more than ${MAX_PAGES} pages`);
}

function toolOf(item: Record<string, unknown>): SnapshotTool {
  const meta = item._meta as Record<string, unknown> | undefined;
  const ui = meta?.ui;
  return {
    ...(pick(item, ['name', 'title', 'description', 'inputSchema', 'outputSchema', 'annotations']) as SnapshotTool),
    ...(typeof ui === 'object' && ui !== null ? { ui: ui as Record<string, unknown> } : {}),
  };
}

/** The fields a snapshot keeps of an item, those present only. */
function pick(item: Record<string, unknown>, fields: string[]): Record<string, unknown> {
  return Object.fromEntries(fields.filter((field) => item[field] !== undefined).map((field) => [field, item[field]]));
}
