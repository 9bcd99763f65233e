import { mkdir, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { AppSettingsSchema, type AppSettings } from '../../../src-shared/settings';
import { describeZodError } from '../../../src-shared/zod-errors';
import { writeFileAtomic } from '../catalog/atomic-write';

/**
 * The app's settings file (`settings.json` in the data folder): validated on read and on write, written
 * atomically. A file that cannot be read is kept aside (`settings.json.bad-<time>`) and the defaults apply, with
 * the reason in `problem`.
 */
export class SettingsStore {
  private current: AppSettings = {};
  private writes: Promise<void> = Promise.resolve();
  problem?: string;

  private constructor(readonly path: string) {}

  static async openIn(dataDir: string): Promise<SettingsStore> {
    const store = new SettingsStore(join(dataDir, 'settings.json'));
    await mkdir(dataDir, { recursive: true });
    let text: string | undefined;
    try {
      text = await readFile(store.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') store.problem = `${store.path} could not be read (${(error as Error).message}); using the defaults`;
    }
    if (text !== undefined) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (error) {
        await store.keepAside(`it is not valid JSON (${(error as Error).message})`);
        return store;
      }
      const result = AppSettingsSchema.safeParse(parsed);
      if (result.success) store.current = result.data;
      else await store.keepAside(describeZodError(result.error));
    }
    return store;
  }

  get(): AppSettings {
    return { ...this.current };
  }

  /** Merges a change into the settings and writes them; resolves once written, with the new settings. */
  async update(change: AppSettings): Promise<AppSettings> {
    const next = AppSettingsSchema.parse({ ...this.current, ...change });
    this.current = next;
    const write = this.writes.then(() => writeFileAtomic(this.path, `${JSON.stringify(next, null, 2)}\n`));
    this.writes = write.catch(() => undefined);
    await write;
    return this.get();
  }

  private async keepAside(why: string): Promise<void> {
    const aside = `${this.path}.bad-${Date.now()}`;
    await rename(this.path, aside).catch(() => undefined);
    this.problem = `${this.path} was not valid: ${why}; kept it as ${aside} and used the defaults`;
  }
}
