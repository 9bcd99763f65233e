// The stress run's load generator, in a worker thread of its own, so that neither the proxy (on the main thread, in
// the app and the CLI) nor the page's api slows the calls down, and the runner's own cost is not what is measured.
// workerData: WorkerInput. Messages in: { type: 'stop' }. Messages out: WorkerMessage.
import { parentPort, workerData } from 'node:worker_threads';
import { runLoad } from './load-runner';
import type { WorkerInput, WorkerMessage } from './worker-protocol';

const input = workerData as WorkerInput;
const stop = new AbortController();
const post = (message: WorkerMessage): void => parentPort!.postMessage(message);

parentPort!.on('message', (message: { type?: string }) => {
  if (message?.type === 'stop') stop.abort();
});

runLoad({ settings: input.settings, baseUrl: input.baseUrl, token: input.token, stop: stop.signal, onProgress: (progress) => post({ type: 'progress', progress }) })
  .then((outcome) => post({ type: 'done', outcome }))
  .catch((error: unknown) => post({ type: 'crashed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) }))
  .finally(() => parentPort!.close());
