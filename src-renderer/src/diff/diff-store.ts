import { create } from 'zustand';
import { countOf } from '../../../src-shared/count-of';
import type { ServerDiff } from '../../../src-shared/server-diff';
import type { SnapshotSummary } from '../../../src-shared/server-snapshot';
import { getApi } from '../api/get-api';
import { errorText } from '../error-text';
import { notify } from '../notifications/notification-store';
import { downloadText } from '../timeline/download';

interface DiffState {
  /** Every saved snapshot, newest first. */
  saved: SnapshotSummary[];
  problems: string[];
  /** A snapshot being taken: the server's name. */
  taking?: string;
  /** The last diff shown. */
  result?: ServerDiff;
  refresh(): Promise<void>;
  take(server: string): Promise<SnapshotSummary | undefined>;
  compare(before: string, after: string): Promise<void>;
  exportFile(id: string): Promise<void>;
  importFile(file: File): Promise<void>;
  remove(id: string): Promise<void>;
}

/** Runs an api call; a failure becomes an error notification with its sentence. */
async function attempt<T>(what: string, work: () => Promise<T>): Promise<T | undefined> {
  try {
    return await work();
  } catch (error) {
    notify('error', `${what}: ${errorText(error)}`);
    return undefined;
  }
}

/** The Diff view's state: the saved snapshots, a snapshot under way and the diff shown. */
export const useDiffStore = create<DiffState>((set, get) => ({
  saved: [],
  problems: [],
  async refresh() {
    await attempt('The snapshots could not be listed', async () => {
      const { snapshots, problems } = await getApi().listSnapshots({});
      set({ saved: snapshots, problems });
    });
  },
  async take(server) {
    set({ taking: server });
    const summary = await attempt(`${server} could not be snapshotted`, async () => {
      const taken = await getApi().takeSnapshot({ server });
      notify('success', `Took a snapshot of ${server}: ${countOf(taken.counts.tools, 'tool')}, ${countOf(taken.counts.resources, 'resource')}, ${countOf(taken.counts.prompts, 'prompt')}`);
      await get().refresh();
      return taken;
    });
    set({ taking: undefined });
    return summary;
  },
  async compare(before, after) {
    await attempt('The snapshots could not be compared', async () => set({ result: await getApi().diffSnapshots({ before, after }) }));
  },
  async exportFile(id) {
    await attempt('The snapshot could not be exported', async () => {
      const { fileName, text } = await getApi().exportSnapshot({ id });
      downloadText(text, fileName);
      notify('success', `Exported the snapshot as ${fileName}`);
    });
  },
  async importFile(file) {
    await attempt(`${file.name} could not be opened`, async () => {
      const summary = await getApi().importSnapshot({ fileName: file.name, text: await file.text() });
      notify('success', `Added the snapshot of ${summary.server}`);
      await get().refresh();
    });
  },
  async remove(id) {
    await attempt('The snapshot could not be deleted', async () => {
      await getApi().removeSnapshot({ id });
      set((state) => ({ result: state.result && (state.result.before.id === id || state.result.after.id === id) ? undefined : state.result }));
      await get().refresh();
    });
  },
}));
