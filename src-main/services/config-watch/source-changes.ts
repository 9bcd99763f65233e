import type { ServerEntry } from '../../../src-shared/catalog';

/** One field of a server that differs between the catalog and the file; env and header values are never shown. */
export interface FieldChange {
  field: string;
  /** For plain fields: the value before and after, as text. For env and headers: which keys were added, removed or changed. */
  before?: string;
  after?: string;
  keys?: { added: string[]; removed: string[]; changed: string[] };
}

export interface SourceChanges {
  added: string[];
  removed: string[];
  changed: Array<{ name: string; fields: FieldChange[] }>;
}

/**
 * What differs between the servers the catalog holds from a watched file and the servers the file has now, by name.
 * Env and header values can be secrets, so only their keys are named (as the import preview shows none of them).
 */
export function diffSource(catalogEntries: readonly ServerEntry[], fileEntries: readonly ServerEntry[]): SourceChanges {
  const before = new Map(catalogEntries.map((entry) => [entry.name, entry]));
  const after = new Map(fileEntries.map((entry) => [entry.name, entry]));
  const changes: SourceChanges = { added: [], removed: [], changed: [] };
  for (const name of after.keys()) if (!before.has(name)) changes.added.push(name);
  for (const name of before.keys()) if (!after.has(name)) changes.removed.push(name);
  for (const [name, was] of before) {
    const now = after.get(name);
    if (!now) continue;
    const fields = diffEntry(was, now);
    if (fields.length > 0) changes.changed.push({ name, fields });
  }
  return changes;
}

/** Whether nothing changed. */
export function isEmptyChange(changes: SourceChanges): boolean {
  return changes.added.length === 0 && changes.removed.length === 0 && changes.changed.length === 0;
}

function diffEntry(was: ServerEntry, now: ServerEntry): FieldChange[] {
  const fields: FieldChange[] = [];
  const plain = (field: string, a: unknown, b: unknown) => {
    const before = textOf(a);
    const after = textOf(b);
    if (before !== after) fields.push({ field, before, after });
  };
  plain('transport', was.transport, now.transport);
  plain('disabled', was.disabled ?? false, now.disabled ?? false);
  if (was.transport === 'stdio' || now.transport === 'stdio') {
    plain('command', was.transport === 'stdio' ? was.command : undefined, now.transport === 'stdio' ? now.command : undefined);
    plain('args', was.transport === 'stdio' ? was.args : undefined, now.transport === 'stdio' ? now.args : undefined);
    plain('cwd', was.transport === 'stdio' ? was.cwd : undefined, now.transport === 'stdio' ? now.cwd : undefined);
  }
  if (was.transport !== 'stdio' || now.transport !== 'stdio') {
    plain('url', was.transport !== 'stdio' ? was.url : undefined, now.transport !== 'stdio' ? now.url : undefined);
  }
  keyed(fields, 'env', was.transport === 'stdio' ? was.env : {}, now.transport === 'stdio' ? now.env : {});
  keyed(fields, 'headers', was.transport !== 'stdio' ? was.headers : {}, now.transport !== 'stdio' ? now.headers : {});
  return fields;
}

function keyed(fields: FieldChange[], field: string, was: Readonly<Record<string, string>>, now: Readonly<Record<string, string>>): void {
  const added = Object.keys(now).filter((key) => !Object.hasOwn(was, key));
  const removed = Object.keys(was).filter((key) => !Object.hasOwn(now, key));
  const changed = Object.keys(now).filter((key) => Object.hasOwn(was, key) && was[key] !== now[key]);
  if (added.length + removed.length + changed.length > 0) fields.push({ field, keys: { added, removed, changed } });
}

function textOf(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : JSON.stringify(value);
}
