import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../catalog/atomic-write';

/** A config file the user asked Patchbay to keep in sync with: its path and the catalog servers that came from it. */
export const WatchedSourceSchema = z.strictObject({
  path: z.string().min(1),
  servers: z.array(z.string()),
  /** The content (sha-256) whose changes the user declined: not asked about again until the file changes again. */
  declinedHash: z.string().optional(),
});
export type WatchedSource = z.infer<typeof WatchedSourceSchema>;

const FileSchema = z.strictObject({ version: z.literal(1), sources: z.array(WatchedSourceSchema) });

/**
 * `watched-configs.json` in the data folder: which files are watched, remembered across restarts. Written
 * atomically; a file that does not validate is ignored (nothing is watched) with the reason in `problem`, since
 * watching is something the user can turn on again.
 */
export class WatchedSourcesStore {
  private sources: WatchedSource[] = [];
  private writes: Promise<void> = Promise.resolve();
  problem?: string;

  private constructor(readonly path: string) {}

  static async openIn(dataDir: string): Promise<WatchedSourcesStore> {
    const store = new WatchedSourcesStore(join(dataDir, 'watched-configs.json'));
    let text: string | undefined;
    try {
      text = await readFile(store.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') store.problem = `${store.path} could not be read (${(error as Error).message})`;
    }
    if (text !== undefined) {
      try {
        store.sources = FileSchema.parse(JSON.parse(text)).sources;
      } catch (error) {
        store.problem = `${store.path} is not valid (${(error as Error).message}); no config file is watched`;
      }
    }
    return store;
  }

  list(): WatchedSource[] {
    return this.sources.map((source) => ({ ...source, servers: [...source.servers] }));
  }

  get(path: string): WatchedSource | undefined {
    return this.list().find((source) => source.path === path);
  }

  /** Adds or replaces the record for a path. */
  put(source: WatchedSource): Promise<void> {
    const parsed = WatchedSourceSchema.parse(source);
    this.sources = [...this.sources.filter((existing) => existing.path !== parsed.path), parsed];
    return this.save();
  }

  remove(path: string): Promise<void> {
    this.sources = this.sources.filter((source) => source.path !== path);
    return this.save();
  }

  private save(): Promise<void> {
    const text = `${JSON.stringify({ version: 1, sources: this.sources }, null, 2)}\n`;
    const write = this.writes.then(() => writeFileAtomic(this.path, text));
    this.writes = write.catch(() => undefined);
    return write;
  }
}
