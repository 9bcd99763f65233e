import { mkdir, rename } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { CatalogSchema, ServerEntrySchema, type ServerEntry } from '../../../src-shared/catalog';
import { describeZodError } from '../../../src-shared/zod-errors';
import { writeFileAtomic } from './atomic-write';
import { openSecrets, sealSecrets, type SecretCodec } from './secret-codec';
import { readTextIfExists } from './read-if-exists';

/** The catalog file: a version, then the servers. */
const CatalogFileSchema = z.strictObject({ version: z.literal(1), servers: CatalogSchema });

/** An error the user caused and can fix, with a sentence that says what was wrong. */
export class CatalogError extends Error {
  override readonly name = 'CatalogError';
}

/** What happened when the catalog was loaded; `problem` is set when the file could not be used. */
export interface CatalogLoadReport {
  path: string;
  problem?: string;
  /** Where an unreadable catalog was moved, so nothing the user saved is lost. */
  keptAs?: string;
}

/**
 * The catalog of servers, kept in one JSON file in the app's data folder. Every change is validated whole and
 * written atomically, one write at a time; a corrupt file is moved aside with a clear message, never overwritten.
 */
export class CatalogStore {
  private entries: ServerEntry[] = [];
  private writes: Promise<void> = Promise.resolve();
  private readonly listeners = new Set<(entries: ServerEntry[]) => void>();
  private report: CatalogLoadReport;

  private constructor(
    readonly path: string,
    private readonly codec: SecretCodec | undefined,
  ) {
    this.report = { path };
  }

  /** Opens the catalog at `path`, creating an empty one if there is none. Secret values are sealed with `codec`. */
  static async open(path: string, codec?: SecretCodec): Promise<CatalogStore> {
    const store = new CatalogStore(path, codec);
    await store.load();
    return store;
  }

  /** Opens `catalog.json` in a data folder. */
  static openIn(dataFolder: string, codec?: SecretCodec): Promise<CatalogStore> {
    return CatalogStore.open(join(dataFolder, 'catalog.json'), codec);
  }

  /** Whether secret values are encrypted at rest (false in web mode or without an OS keychain). */
  get encryptsSecrets(): boolean {
    return this.codec !== undefined;
  }

  private async load(): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true });
    const text = await readTextIfExists(this.path);
    if (text === undefined) return;
    let problem: string | undefined;
    try {
      const parsed = CatalogFileSchema.safeParse(JSON.parse(text));
      if (parsed.success) {
        const secretProblems: string[] = [];
        this.entries = parsed.data.servers.map((entry) => openSecrets(entry, this.codec, secretProblems));
        if (secretProblems.length > 0) this.report = { path: this.path, problem: secretProblems.join('; ') };
        return;
      }
      problem = describeZodError(parsed.error);
    } catch (error) {
      problem = `it is not valid JSON (${(error as Error).message})`;
    }
    const keptAs = this.path.replace(/\.json$/, '') + `.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
    await rename(this.path, keptAs);
    this.report = { path: this.path, problem: `The catalog ${this.path} could not be read: ${problem}. It was kept as ${keptAs} and an empty catalog was started.`, keptAs };
  }

  /** How loading went: a problem and where the unreadable file was kept, if any. */
  get loadReport(): CatalogLoadReport {
    return this.report;
  }

  /** The servers, in the user's order. */
  list(): ServerEntry[] {
    return this.entries.map((entry) => structuredClone(entry));
  }

  get(name: string): ServerEntry | undefined {
    const entry = this.entries.find((candidate) => candidate.name === name);
    return entry && structuredClone(entry);
  }

  /** Subscribes to changes; returns the unsubscribe function. */
  onChange(listener: (entries: ServerEntry[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Adds a server; its name must be new. */
  add(entry: unknown): Promise<ServerEntry[]> {
    return this.change((entries) => {
      const valid = parseEntry(entry);
      if (entries.some((existing) => existing.name === valid.name)) throw new CatalogError(`a server named "${valid.name}" already exists`);
      return [...entries, valid];
    });
  }

  /** Replaces the server called `name` (it may be renamed to a name not taken). */
  update(name: string, entry: unknown): Promise<ServerEntry[]> {
    return this.change((entries) => {
      const index = indexOf(entries, name);
      const valid = parseEntry(entry);
      if (valid.name !== name && entries.some((existing) => existing.name === valid.name)) {
        throw new CatalogError(`a server named "${valid.name}" already exists`);
      }
      return entries.map((existing, position) => (position === index ? valid : existing));
    });
  }

  /** Removes the server called `name`. */
  remove(name: string): Promise<ServerEntry[]> {
    return this.change((entries) => {
      indexOf(entries, name);
      return entries.filter((existing) => existing.name !== name);
    });
  }

  /** Copies the server called `name` under a new name ("name copy", "name copy 2", …), placed right after it. */
  duplicate(name: string): Promise<ServerEntry[]> {
    return this.change((entries) => {
      const index = indexOf(entries, name);
      const taken = new Set(entries.map((entry) => entry.name));
      let copyName = `${name} copy`;
      for (let counter = 2; taken.has(copyName); counter += 1) copyName = `${name} copy ${counter}`;
      const copy = { ...structuredClone(entries[index]!), name: copyName };
      return [...entries.slice(0, index + 1), copy, ...entries.slice(index + 1)];
    });
  }

  /** Replaces the whole catalog at once (all or nothing). */
  replaceAll(entries: unknown): Promise<ServerEntry[]> {
    return this.updateAll(() => entries);
  }

  /**
   * Computes the whole next catalog from the current one inside the write queue, so no change made meanwhile is
   * overwritten; all or nothing. `compute` may throw to abandon the change.
   */
  updateAll(compute: (current: ServerEntry[]) => unknown): Promise<ServerEntry[]> {
    return this.change((current) => {
      const parsed = CatalogSchema.safeParse(compute(current));
      if (!parsed.success) throw new CatalogError(describeZodError(parsed.error));
      return parsed.data;
    });
  }

  /**
   * Applies one change: computed from the current entries, validated whole, written atomically, and only then made
   * visible. Changes run one after another so none is lost.
   */
  private change(compute: (entries: ServerEntry[]) => ServerEntry[]): Promise<ServerEntry[]> {
    const run = this.writes.then(async () => {
      const next = CatalogSchema.parse(compute(this.list()));
      const stored = next.map((entry) => sealSecrets(entry, this.codec));
      await writeFileAtomic(this.path, `${JSON.stringify({ version: 1, servers: stored }, null, 2)}\n`);
      this.entries = next;
      const snapshot = this.list();
      for (const listener of this.listeners) listener(snapshot);
      return snapshot;
    });
    this.writes = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }
}

function parseEntry(entry: unknown): ServerEntry {
  const parsed = ServerEntrySchema.safeParse(entry);
  if (!parsed.success) throw new CatalogError(describeZodError(parsed.error));
  return parsed.data;
}

function indexOf(entries: ServerEntry[], name: string): number {
  const index = entries.findIndex((entry) => entry.name === name);
  if (index === -1) throw new CatalogError(`there is no server named "${name}"`);
  return index;
}
