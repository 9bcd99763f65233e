import { describeTarget, type StressProgress, type StressRun, type StressRunSummary, type StressSettings } from '../../../src-shared/stress';
import { StressError } from './stress-error';
import { exportRun } from './stress-export';
import { startStressRun, type StressRunHandle } from './stress-run';
import { StressStore } from './stress-store';

export interface StressServiceOptions {
  dataDir: string;
  /** Where the proxy listens, and its token: runs go through it like any client. */
  proxy: () => { url: string; token?: string };
  /** Whether the catalog has a server by this name. */
  hasServer(name: string): boolean;
  /** Told of every run's progress, and of its end (state `done`, with the run). */
  onProgress(progress: StressProgress): void;
}

/** The app's stress runs: at most one at a time per server, each saved in the data folder when it ends. */
export class StressService {
  /** Runs under way, each with the promise of its run once ended and saved. */
  private readonly running = new Map<string, { handle: StressRunHandle; saved: Promise<StressRun> }>();

  private constructor(
    private readonly options: StressServiceOptions,
    readonly store: StressStore,
  ) {}

  static async open(options: StressServiceOptions): Promise<StressService> {
    return new StressService(options, await StressStore.openIn(options.dataDir));
  }

  /** Starts a run; its progress goes to onProgress. */
  start(settings: StressSettings): { runId: string } {
    if (!this.options.hasServer(settings.server)) throw new StressError(`there is no server named "${settings.server}"`);
    for (const { handle: run } of this.running.values()) {
      if (run.settings.server === settings.server) throw new StressError(`a stress run of "${settings.server}" (${describeTarget(run.settings.target)}) is still running; stop it first`);
    }
    const proxy = this.options.proxy();
    const handle = startStressRun({ settings, baseUrl: proxy.url, token: proxy.token, onProgress: (progress) => this.options.onProgress(progress) });
    const saved = handle.done.then(async (run) => {
      let saveProblem: string | undefined;
      try {
        await this.store.save(run);
      } catch (error) {
        saveProblem = `the run could not be saved: ${error instanceof Error ? error.message : String(error)}`;
      }
      this.running.delete(handle.id);
      this.options.onProgress({ ...handle.latest(), state: 'done', run, ...(saveProblem ? { saveProblem } : {}) });
      return run;
    });
    this.running.set(handle.id, { handle, saved });
    return { runId: handle.id };
  }

  /** Stops a run: every call in flight is cancelled and every session closed; resolves with the run as saved. */
  async stop(runId: string): Promise<StressRun> {
    const run = this.running.get(runId);
    // Already over: the saved run is the answer.
    if (!run) return this.store.get(runId);
    run.handle.stop();
    return run.saved;
  }

  /** The progress of every run under way. */
  active(): StressProgress[] {
    return [...this.running.values()].map((run) => run.handle.latest());
  }

  list(server?: string): Promise<{ runs: StressRunSummary[]; problems: string[] }> {
    return this.store.list(server);
  }

  get(id: string): Promise<StressRun> {
    return this.store.get(id);
  }

  async remove(id: string): Promise<void> {
    if (this.running.has(id)) throw new StressError('this stress run is still running; stop it first');
    await this.store.remove(id);
  }

  async export(id: string, format: 'json' | 'csv'): Promise<{ fileName: string; text: string }> {
    return exportRun(await this.store.get(id), format);
  }

  /** Stops every run (on quit) and waits until their sessions are closed. */
  async close(): Promise<void> {
    const runs = [...this.running.values()];
    for (const run of runs) run.handle.stop();
    await Promise.all(runs.map((run) => run.saved));
  }
}
