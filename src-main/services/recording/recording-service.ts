import type { ServerEntry } from '../../../src-shared/catalog';
import { summarizeRecording, type ActiveRecording, type Recording, type RecordingSummary, type ReplayResult } from '../../../src-shared/recording';
import type { EventBus } from '../proxy/event-bus';
import { newRecordingId, Recorder } from './recorder';
import { RecordingError } from './recording-error';
import { readRecording, RecordingStore } from './recording-store';
import { replayRecording } from './replayer';

export interface RecordingServiceOptions {
  dataDir: string;
  /** The proxy the recordings listen to and the replays go through. */
  proxy: () => { url: string; token?: string | null; bus: EventBus };
  /** The catalog entry of a server (recorded without secret values); undefined for a name the catalog lacks. */
  entryOf(name: string): ServerEntry | undefined;
}

/**
 * The app's recordings: at most one under way per server (or one of all servers), each saved in the data folder
 * when stopped; imported files saved the same way; replays through the app's proxy.
 */
export class RecordingService {
  private readonly active = new Map<string, Recorder>();

  private constructor(
    private readonly options: RecordingServiceOptions,
    readonly store: RecordingStore,
  ) {}

  static async open(options: RecordingServiceOptions): Promise<RecordingService> {
    return new RecordingService(options, await RecordingStore.openIn(options.dataDir));
  }

  /** Starts recording one server's messages, or every server's (no server). */
  start(input: { server?: string; name?: string }): ActiveRecording {
    if (input.server !== undefined && !this.options.entryOf(input.server)) throw new RecordingError(`there is no server named "${input.server}"`);
    for (const recorder of this.active.values()) {
      if (input.server === undefined || recorder.covers(input.server)) {
        throw new RecordingError(`"${recorder.name}" is already recording ${input.server === undefined ? 'a server' : `"${input.server}"`}; stop it first`);
      }
    }
    const recorder = new Recorder({ bus: this.options.proxy().bus, server: input.server, name: input.name, entryOf: (name) => this.options.entryOf(name) });
    this.active.set(recorder.id, recorder);
    return recorder.status();
  }

  /** Stops a recording and saves it; answers what the list shows of it. */
  async stop(id: string): Promise<RecordingSummary> {
    const recorder = this.active.get(id);
    if (!recorder) throw new RecordingError(`no recording "${id}" is under way`);
    const recording = recorder.stop();
    this.active.delete(id);
    await this.store.save(recording);
    return summarizeRecording(recording);
  }

  status(): ActiveRecording[] {
    return [...this.active.values()].map((recorder) => recorder.status());
  }

  list(): Promise<{ recordings: RecordingSummary[]; problems: string[] }> {
    return this.store.list();
  }

  get(id: string): Promise<Recording> {
    return this.store.get(id);
  }

  async remove(id: string): Promise<void> {
    if (this.active.has(id)) throw new RecordingError('this recording is still under way; stop it first');
    await this.store.remove(id);
  }

  /** A saved recording as a file the user keeps or hands on. */
  async export(id: string): Promise<{ fileName: string; text: string }> {
    const recording = await this.store.get(id);
    return { fileName: `${recording.name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'recording'}.mcp-recording.json`, text: `${JSON.stringify(recording, null, 2)}\n` };
  }

  /**
   * Adds a recording file the user chose to the saved ones. It gets a new id when one with its id is saved already
   * (the same file imported twice stays two entries rather than one silently replacing the other).
   */
  async import(text: string, fileName: string): Promise<RecordingSummary> {
    const recording = readRecording(text, fileName);
    const saved = (await this.store.list()).recordings.some((existing) => existing.id === recording.id) ? { ...recording, id: newRecordingId(recording.startedAt) } : recording;
    await this.store.save(saved);
    return summarizeRecording(saved);
  }

  async replay(input: { id: string; server: string; recordedServer?: string; ignore?: string[] }): Promise<ReplayResult> {
    if (!this.options.entryOf(input.server)) throw new RecordingError(`there is no server named "${input.server}"`);
    const recording = await this.store.get(input.id);
    return replayRecording({ recording, server: input.server, recordedServer: input.recordedServer, ignore: input.ignore, proxy: this.options.proxy() });
  }

  /** Stops every recording under way (on quit) and saves it; answers a sentence per recording that could not be saved. */
  async close(): Promise<string[]> {
    const outcomes = await Promise.allSettled([...this.active.keys()].map((id) => this.stop(id)));
    return outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [`a recording could not be saved on quit: ${outcome.reason instanceof Error ? outcome.reason.message : String(outcome.reason)}`] : []));
  }
}
