import { randomUUID } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import type { StressProgress, StressRun, StressSettings } from '../../../src-shared/stress';
import { StressStats } from './stress-stats';
import type { LoadOutcome } from './load-runner';
import type { WorkerInput, WorkerMessage } from './worker-protocol';

/** A stress run under way: its latest progress, Stop, and the run once it ended (it never rejects). */
export interface StressRunHandle {
  readonly id: string;
  readonly settings: StressSettings;
  latest(): StressProgress;
  /** Cancels every call in flight and closes every session; `done` resolves once they are. */
  stop(): void;
  readonly done: Promise<StressRun>;
}

export interface StartStressRunOptions {
  settings: StressSettings;
  /** The proxy the run goes through, as any client reaches it. */
  baseUrl: string;
  token?: string;
  onProgress?(progress: StressProgress): void;
}

/**
 * Where the worker's code is. Run from source (tsx, vitest) it is `stress-worker-source.mjs` beside this file, which
 * loads the .ts through tsx; bundled, it is the `stress-worker.js` entry the build writes beside the main bundle
 * (electron.vite.config.ts). The URL is built from a variable so that no bundler takes it for an asset to copy.
 */
function workerLocation(): URL {
  const here = import.meta.url;
  return new URL(here.endsWith('.ts') ? './stress-worker-source.mjs' : './stress-worker.js', here);
}

/** Starts a run in a worker thread; progress comes a few times a second, then `done` resolves with the run. */
export function startStressRun(options: StartStressRunOptions): StressRunHandle {
  const id = `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID().slice(0, 8)}`;
  const { settings } = options;
  const createdAt = Date.now();
  let latest: StressProgress = { runId: id, server: settings.server, state: 'starting', figures: new StressStats(createdAt).figures(createdAt, 0, 0), series: [], histogram: [] };
  const location = workerLocation();
  const input: WorkerInput = { settings, baseUrl: options.baseUrl, token: options.token };
  const worker = new Worker(location, { workerData: input });
  let outcome: LoadOutcome | undefined;
  let crash: string | undefined;
  const done = new Promise<StressRun>((resolve) => {
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'progress') {
        latest = { runId: id, server: settings.server, ...message.progress };
        options.onProgress?.(latest);
      } else if (message.type === 'done') outcome = message.outcome;
      else crash = message.message;
    });
    worker.on('error', (error) => (crash ??= error.stack ?? error.message));
    worker.on('exit', (code) => {
      const endedAt = Date.now();
      const run: StressRun = outcome
        ? {
            version: 1,
            id,
            server: settings.server,
            serverInfo: outcome.serverInfo,
            protocolVersion: outcome.protocolVersion,
            settings,
            startedAt: outcome.startedAt,
            endedAt: outcome.endedAt,
            outcome: outcome.outcome,
            ...(outcome.failure ? { failure: outcome.failure } : {}),
            figures: outcome.figures,
            series: outcome.series,
            histogram: outcome.histogram,
          }
        : {
            version: 1,
            id,
            server: settings.server,
            settings,
            startedAt: createdAt,
            endedAt,
            outcome: 'failed',
            failure: `the stress runner failed: ${crash ?? `its worker exited with code ${code}`}`,
            figures: latest.figures,
            series: latest.series,
            histogram: latest.histogram,
          };
      latest = { ...latest, state: 'done', figures: run.figures, series: run.series.slice(-600), histogram: run.histogram, run };
      resolve(run);
    });
  });
  return {
    id,
    settings,
    latest: () => latest,
    stop: () => worker.postMessage({ type: 'stop' }),
    done,
  };
}
