import { z } from 'zod';
import { PROTOCOL_ERAS } from './events';
import { describeZodError } from './zod-errors';
import { countOf } from './count-of';

/**
 * A snapshot of what one MCP server offers: who it says it is, the protocol it spoke, its capabilities and
 * instructions, and every tool (with input and output schemas and annotations), resource, resource template and
 * prompt it listed. A snapshot is a portable JSON file: the app saves them per server, `npm run snapshot` writes one,
 * and `npm run diff` and the Diff view compare two (server-diff.ts). A file written by a later format version is
 * refused with a sentence saying so.
 */

export const SNAPSHOT_FORMAT = 'mcp-patchbay-snapshot';
export const SNAPSHOT_VERSION = 1;

/** A JSON Schema as the server sent it (an object; its keywords are compared by json-schema-compare.ts). */
const JsonSchemaObject = z.record(z.string(), z.unknown());

export const SnapshotToolSchema = z.object({
  name: z.string(),
  title: z.string().optional(),
  description: z.string().optional(),
  inputSchema: JsonSchemaObject,
  outputSchema: JsonSchemaObject.optional(),
  annotations: z.record(z.string(), z.unknown()).optional(),
  /** The MCP Apps extension's `_meta.ui` (the app resource a tool names, who may call it), when it has one. */
  ui: z.record(z.string(), z.unknown()).optional(),
});
export type SnapshotTool = z.infer<typeof SnapshotToolSchema>;

export const SnapshotResourceSchema = z.object({
  uri: z.string(),
  name: z.string(),
  title: z.string().optional(),
  description: z.string().optional(),
  mimeType: z.string().optional(),
});
export type SnapshotResource = z.infer<typeof SnapshotResourceSchema>;

export const SnapshotResourceTemplateSchema = z.object({
  uriTemplate: z.string(),
  name: z.string(),
  title: z.string().optional(),
  description: z.string().optional(),
  mimeType: z.string().optional(),
});
export type SnapshotResourceTemplate = z.infer<typeof SnapshotResourceTemplateSchema>;

export const SnapshotPromptArgumentSchema = z.object({
  name: z.string(),
  title: z.string().optional(),
  description: z.string().optional(),
  required: z.boolean().optional(),
});

export const SnapshotPromptSchema = z.object({
  name: z.string(),
  title: z.string().optional(),
  description: z.string().optional(),
  arguments: z.array(SnapshotPromptArgumentSchema).default([]),
});
export type SnapshotPrompt = z.infer<typeof SnapshotPromptSchema>;

export const SNAPSHOT_ID = /^[A-Za-z0-9-]{1,100}$/;

export const ServerSnapshotSchema = z.object({
  format: z.literal(SNAPSHOT_FORMAT, { error: `not a Patchbay server snapshot (its "format" is not "${SNAPSHOT_FORMAT}")` }),
  version: z
    .number({ error: 'a snapshot has a format version number' })
    .int()
    .refine((version) => version <= SNAPSHOT_VERSION, { message: `written by a newer Patchbay (format version above ${SNAPSHOT_VERSION}); update Patchbay to read it` }),
  id: z.string().regex(SNAPSHOT_ID, 'a snapshot id is letters, digits and dashes'),
  /** Wall-clock ms since the epoch when it was taken. */
  takenAt: z.number(),
  /** The catalog name of the server it was taken from (what the app stores it under). */
  server: z.string().min(1),
  /** Who the server said it was. */
  serverInfo: z.object({ name: z.string(), version: z.string(), title: z.string().optional() }).optional(),
  protocolVersion: z.string().optional(),
  era: z.enum(PROTOCOL_ERAS),
  capabilities: z.record(z.string(), z.unknown()),
  instructions: z.string().optional(),
  tools: z.array(SnapshotToolSchema),
  resources: z.array(SnapshotResourceSchema),
  resourceTemplates: z.array(SnapshotResourceTemplateSchema),
  prompts: z.array(SnapshotPromptSchema),
});
export type ServerSnapshot = z.infer<typeof ServerSnapshotSchema>;

/** What a list of snapshots shows of one. */
export const SnapshotSummarySchema = z.object({
  id: z.string(),
  server: z.string(),
  takenAt: z.number(),
  serverInfo: ServerSnapshotSchema.shape.serverInfo,
  era: z.enum(PROTOCOL_ERAS),
  counts: z.object({ tools: z.number().int(), resources: z.number().int(), resourceTemplates: z.number().int(), prompts: z.number().int() }),
});
export type SnapshotSummary = z.infer<typeof SnapshotSummarySchema>;

export function summarizeSnapshot(snapshot: ServerSnapshot): SnapshotSummary {
  return {
    id: snapshot.id,
    server: snapshot.server,
    takenAt: snapshot.takenAt,
    ...(snapshot.serverInfo ? { serverInfo: snapshot.serverInfo } : {}),
    era: snapshot.era,
    counts: { tools: snapshot.tools.length, resources: snapshot.resources.length, resourceTemplates: snapshot.resourceTemplates.length, prompts: snapshot.prompts.length },
  };
}

/** A snapshot as one line: `fixture (patchbay-surface-fixture 2.0.0), 4 tools, taken 2026-12-02 14:10:00`. */
export function describeSnapshot(snapshot: Pick<ServerSnapshot, 'server' | 'serverInfo' | 'takenAt' | 'tools'>): string {
  const identity = snapshot.serverInfo ? ` (${snapshot.serverInfo.name} ${snapshot.serverInfo.version})` : '';
  const taken = new Date(snapshot.takenAt).toISOString().replace('T', ' ').slice(0, 19);
  return `${snapshot.server}${identity}, ${countOf(snapshot.tools.length, 'tool')}, taken ${taken} UTC`;
}

/** Reads a snapshot from a file's text; the error names what is wrong (not JSON, not a snapshot, which field). */
export function parseServerSnapshot(text: string, where: string): ServerSnapshot {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new SnapshotFormatError(`${where} is not valid JSON (${(error as Error).message})`);
  }
  // A file of another kind is told so in one sentence, not with every field it lacks.
  const kind = ServerSnapshotSchema.pick({ format: true }).safeParse(data);
  if (!kind.success) throw new SnapshotFormatError(`${where} is not a readable server snapshot: ${describeZodError(kind.error)}`);
  const parsed = ServerSnapshotSchema.safeParse(data);
  if (!parsed.success) throw new SnapshotFormatError(`${where} is not a readable server snapshot: ${describeZodError(parsed.error)}`);
  return parsed.data;
}

export class SnapshotFormatError extends Error {
  override readonly name = 'SnapshotFormatError';
}
