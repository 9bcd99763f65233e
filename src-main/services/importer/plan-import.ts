import type { ServerEntry } from '../../../src-shared/catalog';
import { ConfigFileError, fillDefaults, findPlaceholders, parseConfigBytes, parseConfigText, tooLargeError, type ConfigReadResult } from '../config';
import { MAX_IMPORT_BYTES, type ImportFile } from './import-files';
import type { ImportConflict, ImportPlan, PlannedEntry, PlannedFile } from './import-plan';
import { suggestFreeNames } from './suggest-names';

/** Options of `planImport`. */
export interface PlanImportOptions {
  /** The largest file accepted, in bytes; `MAX_IMPORT_BYTES` (5 MiB) by default. */
  maxBytes?: number;
}

/**
 * Works out what importing these files into a catalog holding `existing` would do, without changing anything: per
 * file its detected format (or why it cannot be used) and its entries with their warnings and placeholder needs,
 * and a conflict for every name that is already in the catalog or that more than one file has.
 * Pass the plan and a decision per conflict to `applyImport`.
 */
export function planImport(files: readonly ImportFile[], existing: readonly ServerEntry[], options: PlanImportOptions = {}): ImportPlan {
  const maxBytes = options.maxBytes ?? MAX_IMPORT_BYTES;
  const seenPaths = new Set<string>();
  const plannedFiles = files.map((file): PlannedFile => {
    if (seenPaths.has(file.path)) return { path: file.path, ok: false, error: `${file.path}: this file is already part of the import` };
    seenPaths.add(file.path);
    return planFile(file, maxBytes);
  });
  const entries = plannedFiles.flatMap((file) => (file.ok ? file.entries : []));
  const catalogNames = existing.map((entry) => entry.name);
  return { files: plannedFiles, entries, conflicts: findConflicts(entries, catalogNames), catalogNames };
}

function planFile(file: ImportFile, maxBytes: number): PlannedFile {
  if ('error' in file) return { path: file.path, ok: false, error: file.error };
  let result: ConfigReadResult;
  try {
    const size = 'bytes' in file ? file.bytes.length : Buffer.byteLength(file.text, 'utf8');
    if (size > maxBytes) throw tooLargeError(file.path, size, maxBytes);
    result = 'bytes' in file ? parseConfigBytes(file.bytes, file.path) : parseConfigText(file.text, file.path);
  } catch (error) {
    if (error instanceof ConfigFileError) return { path: file.path, ok: false, error: error.message };
    throw error;
  }
  const entries = result.entries.map((entry): PlannedEntry => {
    const planned: PlannedEntry = {
      name: entry.name,
      file: file.path,
      transport: entry.transport,
      disabled: entry.disabled ?? false,
      warnings: result.warnings.filter((warning) => warning.server !== undefined && warning.server.trim() === entry.name).map((warning) => warning.message),
      needs: findPlaceholders(entry, result.inputs),
      entry,
    };
    const group = result.groups?.[entry.name];
    if (group !== undefined) planned.group = group;
    if (entry.transport === 'stdio') Object.assign(planned, { command: entry.command, args: [...entry.args] });
    else {
      planned.url = entry.url;
      const urlWithDefaults = fillDefaults(entry.url);
      if (urlWithDefaults !== entry.url) planned.urlWithDefaults = urlWithDefaults;
    }
    return planned;
  });
  return {
    path: file.path,
    ok: true,
    format: result.format,
    detection: result.detection,
    entries,
    problems: result.problems,
    warnings: result.warnings.filter((warning) => warning.server === undefined).map((warning) => warning.message),
    inputs: result.inputs,
  };
}

/** A conflict per name already in the catalog or found in more than one file, in the order names first appear. */
function findConflicts(entries: readonly PlannedEntry[], catalogNames: readonly string[]): ImportConflict[] {
  const inCatalog = new Set(catalogNames);
  const filesByName = new Map<string, string[]>();
  for (const entry of entries) filesByName.set(entry.name, [...(filesByName.get(entry.name) ?? []), entry.file]);

  const taken = new Set([...catalogNames, ...filesByName.keys()]);
  const conflicts: ImportConflict[] = [];
  for (const [name, files] of filesByName) {
    const exists = inCatalog.has(name);
    if (!exists && files.length < 2) continue;
    const suggestedNames = suggestFreeNames(name, files.length, taken);
    for (const suggestion of suggestedNames) taken.add(suggestion);
    conflicts.push({ name, inCatalog: exists, files, suggestedNames, message: describeConflict(name, exists, files) });
  }
  return conflicts;
}

function describeConflict(name: string, inCatalog: boolean, files: readonly string[]): string {
  const list = files.join(' and ');
  if (inCatalog && files.length === 1) return `server "${name}" from ${list} is already in the catalog`;
  if (inCatalog) return `server "${name}" is already in the catalog, and ${list} each have one too`;
  return `server "${name}" is in more than one file: ${list}`;
}
