import { readFile } from 'node:fs/promises';
import type { ServerEntry } from '../../../src-shared/catalog';
import type { CatalogStore } from '../catalog/catalog-store';
import { planImport } from '../importer';
import type { ReadPlannedFile } from '../importer/import-plan';
import { watchConfigFile, type ConfigFileWatcher, type WatchedFileEvent } from './config-file-watcher';
import { diffSource, isEmptyChange, type SourceChanges } from './source-changes';
import { WatchedSourcesStore, type WatchedSource } from './watched-sources-store';

/** What the user is told about a watched file. */
export type ConfigWatchEvent =
  | { kind: 'changed'; path: string; hash: string; changes: SourceChanges }
  | { kind: 'invalid'; path: string; error: string }
  | { kind: 'missing'; path: string }
  | { kind: 'unwatched'; path: string; reason: string };

/** The result of applying a file's changes: what was done, and added servers left out because the name was taken. */
export interface AppliedSourceChanges extends SourceChanges {
  skipped: Array<{ name: string; reason: string }>;
}

interface Pending {
  hash: string;
  changes: SourceChanges;
  file: ReadPlannedFile;
}

export interface ConfigWatchOptions {
  debounceMs?: number;
  invalidGraceMs?: number;
}

/**
 * Keeps imported config files in sync, for the files the user asked to watch (and only those: no other file is
 * read). A change is never applied by itself: it is reported (`onEvent`) with what it adds, removes and changes,
 * and applied only on `confirm`, as one atomic catalog write; `decline` keeps the catalog and remembers the
 * content so the same content is not asked about again. Removing every server of a watched file from the catalog
 * stops watching it. `close()` ends every watcher (on quit).
 */
export class ConfigWatchService {
  private readonly watchers = new Map<string, ConfigFileWatcher>();
  private readonly pending = new Map<string, Pending>();
  /** Why a watched file cannot be used right now (it stayed invalid, or is gone), until it reads again. */
  private readonly problems = new Map<string, string>();
  private applying = false;
  private closed = false;
  private readonly stopListening: () => void;

  private constructor(
    private readonly store: WatchedSourcesStore,
    private readonly catalog: CatalogStore,
    private readonly onEvent: (event: ConfigWatchEvent) => void,
    private readonly options: ConfigWatchOptions,
  ) {
    this.stopListening = catalog.onChange((entries) => this.forgetRemovedServers(entries));
  }

  /** Opens the remembered list and starts watching each file in it (a file changed while Patchbay was closed is reported). */
  static async open(dataDir: string, catalog: CatalogStore, onEvent: (event: ConfigWatchEvent) => void, options: ConfigWatchOptions = {}): Promise<ConfigWatchService> {
    const service = new ConfigWatchService(await WatchedSourcesStore.openIn(dataDir), catalog, onEvent, options);
    for (const source of service.store.list()) await service.start(source.path);
    return service;
  }

  /** The watched files, with their servers. */
  list(): WatchedSource[] {
    return this.store.list();
  }

  /** The change waiting for the user's answer for a file, if any. */
  pendingChange(path: string): { hash: string; changes: SourceChanges } | undefined {
    const held = this.pending.get(path);
    return held ? { hash: held.hash, changes: held.changes } : undefined;
  }

  /** Why a watched file cannot be read right now, if it cannot. */
  problem(path: string): string | undefined {
    return this.problems.get(path);
  }

  /** Starts watching a file whose servers (by catalog name) came from it. */
  async watch(path: string, servers: readonly string[]): Promise<void> {
    const existing = this.store.get(path);
    await this.store.put({ path, servers: [...servers], ...(existing?.declinedHash ? { declinedHash: existing.declinedHash } : {}) });
    if (!this.watchers.has(path)) await this.start(path);
  }

  /** Stops watching a file; its servers stay in the catalog as they are. */
  async unwatch(path: string): Promise<void> {
    this.stopWatcher(path);
    this.pending.delete(path);
    this.problems.delete(path);
    await this.store.remove(path);
  }

  /**
   * Applies the change reported for a file, if it is still the one the user saw (`hash`): removed servers go,
   * changed ones are replaced in place, added ones are appended (one whose name another server already has is
   * skipped, with the reason). One catalog write, all or nothing.
   */
  async confirm(path: string, hash: string): Promise<AppliedSourceChanges> {
    const held = this.pending.get(path);
    const source = this.store.get(path);
    if (!held || !source) throw new Error(`${path}: there is no change waiting to be applied (it may have been applied or declined already)`);
    if (held.hash !== hash) throw new Error(`${path} changed again since this change was shown; look at the new change`);
    const fileEntries = held.file.entries.map((planned) => planned.entry);
    const skipped: AppliedSourceChanges['skipped'] = [];
    const ours = new Set(source.servers);
    this.applying = true;
    try {
      await this.catalog.updateAll((current) => {
        skipped.length = 0;
        const byName = new Map(fileEntries.map((entry) => [entry.name, entry]));
        const next: ServerEntry[] = [];
        for (const entry of current) {
          if (!ours.has(entry.name)) next.push(entry);
          else if (byName.has(entry.name)) next.push(byName.get(entry.name)!);
        }
        for (const name of held.changes.added) {
          if (next.some((entry) => entry.name === name)) skipped.push({ name, reason: `a server named "${name}" that did not come from this file is already in the catalog` });
          else next.push(byName.get(name)!);
        }
        return next;
      });
    } finally {
      this.applying = false;
    }
    const kept = fileEntries.map((entry) => entry.name).filter((name) => !skipped.some((skip) => skip.name === name));
    await this.store.put({ path, servers: kept });
    this.pending.delete(path);
    return { ...held.changes, added: held.changes.added.filter((name) => kept.includes(name)), skipped };
  }

  /** Keeps the catalog as it is and does not ask again about this content of the file. */
  async decline(path: string, hash: string): Promise<void> {
    const source = this.store.get(path);
    if (!source) return;
    this.pending.delete(path);
    await this.store.put({ ...source, declinedHash: hash });
  }

  /** Ends every watcher; nothing is reported afterwards. */
  close(): void {
    this.closed = true;
    this.stopListening();
    for (const path of [...this.watchers.keys()]) this.stopWatcher(path);
  }

  private async start(path: string): Promise<void> {
    const watcher = await watchConfigFile<ReadPlannedFile>(path, {
      parse: (bytes, file) => readSource(bytes, file),
      onEvent: (event) => this.handle(event),
      debounceMs: this.options.debounceMs,
      invalidGraceMs: this.options.invalidGraceMs,
    });
    if (this.closed) {
      watcher.close();
      return;
    }
    this.watchers.set(path, watcher);
    // The file may have changed while Patchbay was not running.
    try {
      const bytes = await readFile(path);
      this.consider(path, watcher.lastHash ?? '', readSource(bytes, path));
    } catch {
      // Missing or invalid at start: the watcher reports it once it changes.
    }
  }

  private handle(event: WatchedFileEvent<ReadPlannedFile>): void {
    if (this.closed) return;
    if (event.kind === 'changed') {
      this.problems.delete(event.path);
      this.consider(event.path, event.hash, event.value);
    } else if (event.kind === 'invalid') {
      this.problems.set(event.path, event.error);
      this.onEvent({ kind: 'invalid', path: event.path, error: event.error });
    } else {
      this.problems.set(event.path, `${event.path} is gone (deleted or moved); Patchbay will pick it up again when it is back`);
      this.onEvent({ kind: 'missing', path: event.path });
    }
  }

  private consider(path: string, hash: string, file: ReadPlannedFile): void {
    const source = this.store.get(path);
    if (!source) return;
    const ours = new Set(source.servers);
    const changes = diffSource(
      this.catalog.list().filter((entry) => ours.has(entry.name)),
      file.entries.map((planned) => planned.entry),
    );
    if (isEmptyChange(changes) || source.declinedHash === hash) {
      this.pending.delete(path);
      return;
    }
    this.pending.set(path, { hash, changes, file });
    this.onEvent({ kind: 'changed', path, hash, changes });
  }

  /** A server the user removed no longer belongs to its file; a file with none left is no longer watched. */
  private forgetRemovedServers(entries: readonly ServerEntry[]): void {
    if (this.applying || this.closed) return;
    const names = new Set(entries.map((entry) => entry.name));
    for (const source of this.store.list()) {
      const left = source.servers.filter((name) => names.has(name));
      if (left.length === source.servers.length) continue;
      if (left.length > 0) {
        void this.store.put({ ...source, servers: left }).catch(() => undefined);
        continue;
      }
      this.stopWatcher(source.path);
      this.pending.delete(source.path);
      void this.store.remove(source.path).catch(() => undefined);
      this.onEvent({ kind: 'unwatched', path: source.path, reason: 'every server imported from it was removed from the catalog' });
    }
  }

  private stopWatcher(path: string): void {
    this.watchers.get(path)?.close();
    this.watchers.delete(path);
  }
}

/** Reads a watched file through the importer's own reader (the same formats, warnings and checks as an import). */
function readSource(bytes: Uint8Array, path: string): ReadPlannedFile {
  const [file] = planImport([{ path, bytes }], []).files;
  if (!file) throw new Error(`${path}: could not be read`);
  if (!file.ok) throw new Error(file.error);
  return file;
}
