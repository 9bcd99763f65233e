import type { ServerEntry } from '../../../src-shared/catalog';
import { diffSnapshots, type ServerDiff } from '../../../src-shared/server-diff';
import { summarizeSnapshot, type ServerSnapshot, type SnapshotSummary } from '../../../src-shared/server-snapshot';
import { captureSnapshot, newSnapshotId } from './capture-snapshot';
import { SnapshotError } from './snapshot-error';
import { readSnapshot, SnapshotStore } from './snapshot-store';

export interface SnapshotServiceOptions {
  dataDir: string;
  /** The proxy snapshots are taken through. */
  proxy: () => { url: string; token?: string | null };
  /** The catalog entry of a server; undefined for a name the catalog lacks. */
  entryOf(name: string): ServerEntry | undefined;
}

/** The app's server snapshots: taken through the app's proxy, saved per server, exported, imported and diffed. */
export class SnapshotService {
  private constructor(
    private readonly options: SnapshotServiceOptions,
    readonly store: SnapshotStore,
  ) {}

  static async open(options: SnapshotServiceOptions): Promise<SnapshotService> {
    return new SnapshotService(options, await SnapshotStore.openIn(options.dataDir));
  }

  /** Snapshots a catalog server now (in the era its entry asks for) and saves it. */
  async take(server: string): Promise<SnapshotSummary> {
    const entry = this.options.entryOf(server);
    if (!entry) throw new SnapshotError(`there is no server named "${server}"`);
    const snapshot = await captureSnapshot({ server, proxy: this.options.proxy(), era: entry.protocolEra ?? 'auto' });
    await this.store.save(snapshot);
    return summarizeSnapshot(snapshot);
  }

  list(server?: string): Promise<{ snapshots: SnapshotSummary[]; problems: string[] }> {
    return this.store.list(server);
  }

  get(id: string): Promise<ServerSnapshot> {
    return this.store.get(id);
  }

  remove(id: string): Promise<void> {
    return this.store.remove(id);
  }

  /** A saved snapshot as a file `npm run diff` takes. */
  async export(id: string): Promise<{ fileName: string; text: string }> {
    const snapshot = await this.store.get(id);
    const stamp = new Date(snapshot.takenAt).toISOString().slice(0, 19).replace(/[:T]/g, '-');
    const name = `${snapshot.server.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'server'}-${stamp}`;
    return { fileName: `${name}.mcp-snapshot.json`, text: `${JSON.stringify(snapshot, null, 2)}\n` };
  }

  /** Adds a snapshot file the user chose; one whose id is saved already gets a new id (never a silent replacement). */
  async import(text: string, fileName: string): Promise<SnapshotSummary> {
    const snapshot = readSnapshot(text, fileName);
    const taken = await this.store.get(snapshot.id).then(() => true, () => false);
    const saved = taken ? { ...snapshot, id: newSnapshotId(snapshot.takenAt) } : snapshot;
    await this.store.save(saved);
    return summarizeSnapshot(saved);
  }

  /** The classified changes from one saved snapshot to another. */
  async diff(before: string, after: string): Promise<ServerDiff> {
    return diffSnapshots(await this.store.get(before), await this.store.get(after));
  }
}
