import { createHash } from 'node:crypto';
import { access, mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { parseServerSnapshot, SNAPSHOT_ID, SnapshotFormatError, ServerSnapshotSchema, summarizeSnapshot, type ServerSnapshot, type SnapshotSummary } from '../../../src-shared/server-snapshot';
import { writeFileAtomic } from '../catalog/atomic-write';
import { SnapshotError } from './snapshot-error';

/**
 * Saved snapshots: `snapshots/<server>/<id>.json` in the data folder, a folder per server (its name made safe for a
 * file system, with a hash of the name so two names never share one), written atomically and read back through the
 * snapshot schema. A file that does not read is left where it is and named in `problems`.
 */
export class SnapshotStore {
  private constructor(readonly folder: string) {}

  static async openIn(dataDir: string): Promise<SnapshotStore> {
    const folder = join(dataDir, 'snapshots');
    await mkdir(folder, { recursive: true });
    return new SnapshotStore(folder);
  }

  /** The folder of one server's snapshots. */
  folderOf(server: string): string {
    const readable = server.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'server';
    return join(this.folder, `${readable}-${createHash('sha256').update(server).digest('hex').slice(0, 8)}`);
  }

  async save(snapshot: ServerSnapshot): Promise<void> {
    const checked = ServerSnapshotSchema.parse(snapshot);
    checkId(checked.id);
    const folder = this.folderOf(checked.server);
    await mkdir(folder, { recursive: true });
    await writeFileAtomic(join(folder, `${checked.id}.json`), `${JSON.stringify(checked)}\n`);
  }

  /** A saved snapshot; a missing or unreadable one is refused with the reason. */
  async get(id: string): Promise<ServerSnapshot> {
    const path = await this.pathOf(id);
    if (!path) throw new SnapshotError(`there is no saved snapshot "${id}"`);
    return readSnapshot(await readFile(path, 'utf8'), path);
  }

  /** The saved snapshots, of one server or all, newest first, and the files that could not be read. */
  async list(server?: string): Promise<{ snapshots: SnapshotSummary[]; problems: string[] }> {
    const folders = server === undefined ? await this.serverFolders() : [this.folderOf(server)];
    const snapshots: SnapshotSummary[] = [];
    const problems: string[] = [];
    for (const folder of folders) {
      const names = await readdir(folder).catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? [] : Promise.reject(error)));
      for (const name of names.filter((entry) => entry.endsWith('.json') && !entry.startsWith('.'))) {
        const path = join(folder, name);
        try {
          snapshots.push(summarizeSnapshot(readSnapshot(await readFile(path, 'utf8'), path)));
        } catch (error) {
          problems.push(error instanceof Error ? error.message : String(error));
        }
      }
    }
    snapshots.sort((a, b) => b.takenAt - a.takenAt);
    return { snapshots, problems };
  }

  async remove(id: string): Promise<void> {
    const path = await this.pathOf(id);
    if (path) await rm(path, { force: true });
  }

  private async serverFolders(): Promise<string[]> {
    const entries = await readdir(this.folder, { withFileTypes: true });
    return entries.filter((entry) => entry.isDirectory()).map((entry) => join(this.folder, entry.name));
  }

  private async pathOf(id: string): Promise<string | undefined> {
    checkId(id);
    for (const folder of await this.serverFolders()) {
      const path = join(folder, `${id}.json`);
      if (await access(path).then(() => true, () => false)) return path;
    }
    return undefined;
  }
}

function checkId(id: string): void {
  if (!SNAPSHOT_ID.test(id)) throw new SnapshotError(`"${id}" is not a snapshot id`);
}

/** A snapshot from a file's text; a bad one is a SnapshotError naming the file and what is wrong. */
export function readSnapshot(text: string, where: string): ServerSnapshot {
  try {
    return parseServerSnapshot(text, where);
  } catch (error) {
    if (error instanceof SnapshotFormatError) throw new SnapshotError(error.message);
    throw error;
  }
}
