import { create } from 'zustand';
import type { ActiveRecording, Recording, RecordingSummary, ReplayResult } from '../../../src-shared/recording';
import { getApi } from '../api/get-api';
import { errorText } from '../error-text';
import { notify } from '../notifications/notification-store';
import { downloadText } from '../timeline/download';

interface RecordingsState {
  active: ActiveRecording[];
  saved: RecordingSummary[];
  problems: string[];
  /** The last replay's result, with the recording it replayed. */
  result?: ReplayResult;
  /** A replay under way: the recording's id. */
  replaying?: string;
  /** The recording shown in the read-only timeline. */
  opened?: Recording;
  refresh(): Promise<void>;
  start(server: string | undefined): Promise<void>;
  stop(id: string): Promise<void>;
  replay(id: string, server: string, ignore: string[]): Promise<void>;
  open(id: string): Promise<void>;
  close(): void;
  exportFile(id: string): Promise<void>;
  importFile(file: File): Promise<void>;
  remove(id: string): Promise<void>;
}

/** Runs an api call; a failure becomes an error notification with its sentence. */
async function attempt(what: string, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    notify('error', `${what}: ${errorText(error)}`);
  }
}

/** The Recordings view's state: recordings under way, saved ones, the last replay and the opened recording. */
export const useRecordingsStore = create<RecordingsState>((set, get) => ({
  active: [],
  saved: [],
  problems: [],
  async refresh() {
    await attempt('The recordings could not be listed', async () => {
      const [{ recordings: active }, { recordings: saved, problems }] = await Promise.all([getApi().recordingStatus(), getApi().listRecordings()]);
      set({ active, saved, problems });
    });
  },
  async start(server) {
    await attempt('Recording could not start', async () => {
      const recording = await getApi().startRecording(server === undefined ? {} : { server });
      set({ active: [...get().active, recording] });
    });
  },
  async stop(id) {
    await attempt('The recording could not be stopped', async () => {
      const summary = await getApi().stopRecording({ id });
      notify('success', `Saved the recording "${summary.name}" (${summary.messages} messages)`);
      await get().refresh();
    });
  },
  async replay(id, server, ignore) {
    set({ replaying: id, result: undefined });
    await attempt('The replay could not run', async () => {
      const result = await getApi().replayRecording({ id, server, ...(ignore.length > 0 ? { ignore } : {}) });
      set({ result });
    });
    set({ replaying: undefined });
  },
  async open(id) {
    await attempt('The recording could not be opened', async () => set({ opened: await getApi().getRecording({ id }) }));
  },
  close() {
    set({ opened: undefined });
  },
  async exportFile(id) {
    await attempt('The recording could not be exported', async () => {
      const { fileName, text } = await getApi().exportRecording({ id });
      downloadText(text, fileName);
      notify('success', `Exported the recording as ${fileName}`);
    });
  },
  async importFile(file) {
    await attempt(`${file.name} could not be opened`, async () => {
      const summary = await getApi().importRecording({ fileName: file.name, text: await file.text() });
      notify('success', `Added the recording "${summary.name}"`);
      await get().refresh();
      await get().open(summary.id);
    });
  },
  async remove(id) {
    await attempt('The recording could not be deleted', async () => {
      await getApi().removeRecording({ id });
      set((state) => ({ opened: state.opened?.id === id ? undefined : state.opened, result: state.result?.recording.id === id ? undefined : state.result }));
      await get().refresh();
    });
  },
}));
