import { z } from 'zod';
import { compareJsonSchemas, sameJson, type ChangeKind, type SchemaDirection } from './json-schema-compare';
import { previewValue } from './recording';
import type { ServerSnapshot, SnapshotPrompt, SnapshotResource, SnapshotResourceTemplate, SnapshotTool } from './server-snapshot';
import { countOf } from './count-of';

/**
 * The difference of two server snapshots (the same server before and after a change, two versions, two servers) as a
 * list of changes, each classified so a server author sees what would break an agent:
 * - breaking: a tool, resource, template or prompt removed; a required argument added or an argument made required;
 *   an argument's accepted values narrowed or an output's promise weakened (json-schema-compare.ts has the schema
 *   rules); a prompt's required argument added; a capability removed; a resource's MIME type changed; a tool that
 *   was read-only no longer so, newly destructive, no longer idempotent, or newly open-world; an app tool's UI
 *   removed, moved to another resource or hidden from the model;
 * - additive: anything added, anything widened that callers may ignore, annotations that promise more safety;
 * - cosmetic: descriptions, titles, the server's version, title and instructions, the protocol version spoken.
 * Changes come breaking first, then additive, then cosmetic, each group in the snapshot's order.
 */

export const CHANGE_KINDS = ['breaking', 'additive', 'cosmetic'] as const;
export const CHANGE_SUBJECTS = ['server', 'tool', 'resource', 'template', 'prompt'] as const;
export type ChangeSubject = (typeof CHANGE_SUBJECTS)[number];

export const SurfaceChangeSchema = z.object({
  kind: z.enum(CHANGE_KINDS),
  subject: z.enum(CHANGE_SUBJECTS),
  /** The tool's, prompt's or resource's name (a resource by its uri, a template by its uri template); the server's own name for server changes. */
  name: z.string(),
  /** A JSON pointer into the snapshot: `/tools/add/inputSchema/properties/b/type`. */
  path: z.string(),
  summary: z.string(),
  before: z.unknown().optional(),
  after: z.unknown().optional(),
});
export type SurfaceChange = z.infer<typeof SurfaceChangeSchema>;

const SnapshotRefSchema = z.object({
  id: z.string(),
  server: z.string(),
  takenAt: z.number(),
  serverInfo: z.object({ name: z.string(), version: z.string(), title: z.string().optional() }).optional(),
});

export const ServerDiffSchema = z.object({
  before: SnapshotRefSchema,
  after: SnapshotRefSchema,
  counts: z.object({ breaking: z.number().int(), additive: z.number().int(), cosmetic: z.number().int() }),
  changes: z.array(SurfaceChangeSchema),
});
export type ServerDiff = z.infer<typeof ServerDiffSchema>;

const ref = (snapshot: ServerSnapshot): ServerDiff['before'] => ({
  id: snapshot.id,
  server: snapshot.server,
  takenAt: snapshot.takenAt,
  ...(snapshot.serverInfo ? { serverInfo: snapshot.serverInfo } : {}),
});

/** JSON pointer segments escaped (RFC 6901). */
function pointer(...segments: string[]): string {
  return `/${segments.map((segment) => segment.replaceAll('~', '~0').replaceAll('/', '~1')).join('/')}`;
}

class Changes {
  readonly list: SurfaceChange[] = [];
  add(kind: ChangeKind, subject: ChangeSubject, name: string, path: string, summary: string, before?: unknown, after?: unknown): void {
    this.list.push({ kind, subject, name, path, summary, ...(before !== undefined ? { before } : {}), ...(after !== undefined ? { after } : {}) });
  }
}

/** Every change from `before` to `after`, classified, breaking first, with the counts per kind. */
export function diffSnapshots(before: ServerSnapshot, after: ServerSnapshot): ServerDiff {
  const changes = new Changes();
  diffServer(before, after, changes);
  diffTools(before.tools, after.tools, changes);
  diffKeyed('resource', 'resources', before.resources, after.resources, (item) => item.uri, diffResource, changes);
  diffKeyed('template', 'resourceTemplates', before.resourceTemplates, after.resourceTemplates, (item) => item.uriTemplate, diffResource, changes);
  diffKeyed('prompt', 'prompts', before.prompts, after.prompts, (item) => item.name, diffPrompt, changes);
  const ordered = CHANGE_KINDS.flatMap((kind) => changes.list.filter((change) => change.kind === kind));
  const counts = { breaking: 0, additive: 0, cosmetic: 0 };
  for (const change of ordered) counts[change.kind] += 1;
  return { before: ref(before), after: ref(after), counts, changes: ordered };
}

// ---- the server itself -------------------------------------------------------------------------------------------

function diffServer(before: ServerSnapshot, after: ServerSnapshot, changes: Changes): void {
  const name = after.serverInfo?.name ?? after.server;
  for (const field of ['name', 'version', 'title'] as const) {
    const was = before.serverInfo?.[field];
    const is = after.serverInfo?.[field];
    if (was !== is) changes.add('cosmetic', 'server', name, pointer('serverInfo', field), `server ${field} ${verb(was, is)}: ${show(was)} → ${show(is)}`, was, is);
  }
  if (before.protocolVersion !== after.protocolVersion) {
    changes.add('cosmetic', 'server', name, pointer('protocolVersion'), `protocol version ${verb(before.protocolVersion, after.protocolVersion)}: ${show(before.protocolVersion)} → ${show(after.protocolVersion)}`, before.protocolVersion, after.protocolVersion);
  }
  if (before.instructions !== after.instructions) {
    changes.add('cosmetic', 'server', name, pointer('instructions'), `server instructions ${verb(before.instructions, after.instructions)}`, before.instructions, after.instructions);
  }
  diffCapabilities(before.capabilities, after.capabilities, ['capabilities'], name, changes);
}

/** A capability (or one of its flags) gone is breaking; one added is additive; a changed value is breaking. */
function diffCapabilities(before: unknown, after: unknown, path: string[], name: string, changes: Changes): void {
  if (sameJson(before, after)) return;
  const label = path.slice(1).join('.');
  const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
  if (isObject(before) && isObject(after)) {
    for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) diffCapabilities(before[key], after[key], [...path, key], name, changes);
    return;
  }
  const absent = (value: unknown) => value === undefined || value === false;
  if (absent(after)) changes.add('breaking', 'server', name, pointer(...path), `capability "${label}" removed`, before, after);
  else if (absent(before)) changes.add('additive', 'server', name, pointer(...path), `capability "${label}" added`, before, after);
  else changes.add('breaking', 'server', name, pointer(...path), `capability "${label}" changed: ${previewValue(before, 60)} → ${previewValue(after, 60)}`, before, after);
}

// ---- tools ---------------------------------------------------------------------------------------------------------

function diffTools(before: SnapshotTool[], after: SnapshotTool[], changes: Changes): void {
  diffKeyed('tool', 'tools', before, after, (tool) => tool.name, diffTool, changes);
}

function diffTool(was: SnapshotTool, is: SnapshotTool, base: string[], changes: Changes): void {
  const add = (kind: ChangeKind, segments: string[], summary: string, before?: unknown, after?: unknown) => changes.add(kind, 'tool', is.name, pointer(...base, ...segments), summary, before, after);
  const label = `tool "${is.name}"`;
  diffWording(was, is, label, (segments, summary, before, after) => add('cosmetic', segments, summary, before, after));
  diffSchema(was.inputSchema, is.inputSchema, 'input', label, ['inputSchema'], add);
  if (was.outputSchema && !is.outputSchema) add('breaking', ['outputSchema'], `${label} no longer declares an output schema (its structured output is no longer promised)`, was.outputSchema, undefined);
  else if (!was.outputSchema && is.outputSchema) add('additive', ['outputSchema'], `${label} now declares an output schema`, undefined, is.outputSchema);
  else if (was.outputSchema && is.outputSchema) diffSchema(was.outputSchema, is.outputSchema, 'output', label, ['outputSchema'], add);
  diffAnnotations(was.annotations ?? {}, is.annotations ?? {}, label, add);
  diffUi(was.ui, is.ui, label, add);
}

type AddChange = (kind: ChangeKind, segments: string[], summary: string, before?: unknown, after?: unknown) => void;

function diffSchema(before: unknown, after: unknown, direction: SchemaDirection, label: string, segments: string[], add: AddChange): void {
  for (const change of compareJsonSchemas(before, after, direction)) add(change.kind, [...segments, ...change.path], `${label}: ${change.summary}`, change.before, change.after);
}

/**
 * The behaviour hints, with the spec's defaults when absent (readOnly false, destructive true, idempotent false,
 * openWorld true): a change that makes a call riskier than an agent was told is breaking, a safer one additive.
 */
const HINTS = [
  { key: 'readOnlyHint', fallback: false, riskyWhen: false, risky: 'is no longer read-only', safer: 'is now read-only' },
  { key: 'destructiveHint', fallback: true, riskyWhen: true, risky: 'is now destructive', safer: 'is no longer destructive' },
  { key: 'idempotentHint', fallback: false, riskyWhen: false, risky: 'is no longer idempotent', safer: 'is now idempotent' },
  { key: 'openWorldHint', fallback: true, riskyWhen: true, risky: 'now reaches an open world', safer: 'no longer reaches an open world' },
] as const;

function diffAnnotations(was: Record<string, unknown>, is: Record<string, unknown>, label: string, add: AddChange): void {
  for (const hint of HINTS) {
    const before = typeof was[hint.key] === 'boolean' ? (was[hint.key] as boolean) : hint.fallback;
    const after = typeof is[hint.key] === 'boolean' ? (is[hint.key] as boolean) : hint.fallback;
    if (before === after) {
      if (was[hint.key] !== is[hint.key]) add('cosmetic', ['annotations', hint.key], `${label}: ${hint.key} ${verb(was[hint.key], is[hint.key])} (the same as its default, ${String(hint.fallback)})`, was[hint.key], is[hint.key]);
      continue;
    }
    const risky = after === hint.riskyWhen;
    add(risky ? 'breaking' : 'additive', ['annotations', hint.key], `${label} ${risky ? hint.risky : hint.safer} (${hint.key} ${before} → ${after})`, was[hint.key], is[hint.key]);
  }
  const hintKeys = new Set<string>(HINTS.map((hint) => hint.key));
  for (const key of new Set([...Object.keys(was), ...Object.keys(is)])) {
    if (hintKeys.has(key) || sameJson(was[key], is[key])) continue;
    add('cosmetic', ['annotations', key], `${label}: annotation ${key} ${verb(was[key], is[key])}`, was[key], is[key]);
  }
}

function diffUi(was: Record<string, unknown> | undefined, is: Record<string, unknown> | undefined, label: string, add: AddChange): void {
  if (sameJson(was, is)) return;
  if (was && !is) return add('breaking', ['_meta', 'ui'], `${label} no longer has an app (its _meta.ui is gone)`, was, undefined);
  if (!was && is) return add('additive', ['_meta', 'ui'], `${label} now has an app`, undefined, is);
  if (!was || !is) return;
  if (!sameJson(was.resourceUri, is.resourceUri)) add('breaking', ['_meta', 'ui', 'resourceUri'], `${label}: its app moved from ${show(was.resourceUri)} to ${show(is.resourceUri)}`, was.resourceUri, is.resourceUri);
  const visibleToModel = (ui: Record<string, unknown>) => !Array.isArray(ui.visibility) || ui.visibility.includes('model');
  if (!sameJson(was.visibility, is.visibility)) {
    const hidden = visibleToModel(was) && !visibleToModel(is);
    add(hidden ? 'breaking' : 'additive', ['_meta', 'ui', 'visibility'], `${label}: app visibility ${previewValue(was.visibility ?? null, 40)} → ${previewValue(is.visibility ?? null, 40)}${hidden ? ' (the model can no longer call it)' : ''}`, was.visibility, is.visibility);
  }
  for (const key of new Set([...Object.keys(was), ...Object.keys(is)])) {
    if (key === 'resourceUri' || key === 'visibility' || sameJson(was[key], is[key])) continue;
    add('additive', ['_meta', 'ui', key], `${label}: app ${key} ${verb(was[key], is[key])}`, was[key], is[key]);
  }
}

// ---- resources, templates, prompts ---------------------------------------------------------------------------------

function diffResource<T extends SnapshotResource | SnapshotResourceTemplate>(was: T, is: T, base: string[], changes: Changes, subject: ChangeSubject, key: string): void {
  const label = `${subject} ${key}`;
  const add = (kind: ChangeKind, segments: string[], summary: string, before?: unknown, after?: unknown) => changes.add(kind, subject, key, pointer(...base, ...segments), summary, before, after);
  if (was.name !== is.name) add('cosmetic', ['name'], `${label}: name ${show(was.name)} → ${show(is.name)}`, was.name, is.name);
  diffWording(was, is, label, (segments, summary, before, after) => add('cosmetic', segments, summary, before, after));
  if (was.mimeType !== is.mimeType) add('breaking', ['mimeType'], `${label}: MIME type ${verb(was.mimeType, is.mimeType)}: ${show(was.mimeType)} → ${show(is.mimeType)}`, was.mimeType, is.mimeType);
}

function diffPrompt(was: SnapshotPrompt, is: SnapshotPrompt, base: string[], changes: Changes): void {
  const label = `prompt "${is.name}"`;
  const add = (kind: ChangeKind, segments: string[], summary: string, before?: unknown, after?: unknown) => changes.add(kind, 'prompt', is.name, pointer(...base, ...segments), summary, before, after);
  diffWording(was, is, label, (segments, summary, before, after) => add('cosmetic', segments, summary, before, after));
  const wasArgs = new Map(was.arguments.map((argument) => [argument.name, argument]));
  const isArgs = new Map(is.arguments.map((argument) => [argument.name, argument]));
  for (const [name, argument] of wasArgs) {
    const now = isArgs.get(name);
    if (!now) {
      add('breaking', ['arguments', name], `${label}: argument "${name}" removed`, argument, undefined);
      continue;
    }
    if (Boolean(argument.required) !== Boolean(now.required)) {
      add(now.required ? 'breaking' : 'additive', ['arguments', name, 'required'], `${label}: argument "${name}" is ${now.required ? 'now required' : 'now optional'}`, argument.required ?? false, now.required ?? false);
    }
    diffWording(argument, now, `${label}: argument "${name}"`, (segments, summary, before, after) => add('cosmetic', ['arguments', name, ...segments], summary, before, after));
  }
  for (const [name, argument] of isArgs) {
    if (wasArgs.has(name)) continue;
    add(argument.required ? 'breaking' : 'additive', ['arguments', name], `${label}: ${argument.required ? 'required' : 'optional'} argument "${name}" added`, undefined, argument);
  }
}

// ---- shared --------------------------------------------------------------------------------------------------------

/** Removed items are breaking, added ones additive, kept ones compared field by field. */
function diffKeyed<T>(
  subject: ChangeSubject,
  field: string,
  before: T[],
  after: T[],
  keyOf: (item: T) => string,
  compare: (was: T, is: T, base: string[], changes: Changes, subject: ChangeSubject, key: string) => void,
  changes: Changes,
): void {
  const was = new Map(before.map((item) => [keyOf(item), item]));
  const is = new Map(after.map((item) => [keyOf(item), item]));
  const noun = subject === 'template' ? 'resource template' : subject;
  for (const [key, item] of was) {
    const now = is.get(key);
    if (now === undefined) changes.add('breaking', subject, key, pointer(field, key), `${noun} ${quoted(subject, key)} removed`, item, undefined);
    else compare(item, now, [field, key], changes, subject, quoted(subject, key));
  }
  for (const [key, item] of is) if (!was.has(key)) changes.add('additive', subject, key, pointer(field, key), `${noun} ${quoted(subject, key)} added`, undefined, item);
}

const quoted = (subject: ChangeSubject, key: string) => (subject === 'resource' || subject === 'template' ? key : `"${key}"`);

function diffWording(was: { title?: string; description?: string }, is: { title?: string; description?: string }, label: string, add: (segments: string[], summary: string, before?: unknown, after?: unknown) => void): void {
  for (const field of ['title', 'description'] as const) {
    if (was[field] !== is[field]) add([field], `${label}: ${field} ${verb(was[field], is[field])}`, was[field], is[field]);
  }
}

function verb(before: unknown, after: unknown): string {
  if (before === undefined) return 'added';
  if (after === undefined) return 'removed';
  return 'changed';
}

const show = (value: unknown): string => (value === undefined ? 'none' : typeof value === 'string' ? `"${value}"` : JSON.stringify(value));

/** One change as a report line: `BREAKING  tool "add": required argument "c" added  (/tools/add/inputSchema/properties/c)`. */
export function describeChange(change: SurfaceChange): string {
  return `${change.kind.toUpperCase().padEnd(9)} ${change.summary}`;
}

/** The counts as one line: `6 changes: 4 breaking, 1 additive, 1 cosmetic`. */
export function describeCounts(counts: ServerDiff['counts']): string {
  const total = counts.breaking + counts.additive + counts.cosmetic;
  return `${countOf(total, 'change')}: ${counts.breaking} breaking, ${counts.additive} additive, ${counts.cosmetic} cosmetic`;
}

/** A change's before or after value, short, for a line or a cell. */
export function previewChangeValue(value: unknown): string {
  return previewValue(value, 160);
}
