import type { StressSettings } from '../../../src-shared/stress';
import type { LoadOutcome, LoadProgress } from './load-runner';

/** What the stress worker is started with. */
export interface WorkerInput {
  settings: StressSettings;
  baseUrl: string;
  token?: string;
}

/** What the stress worker tells the thread that started it. */
export type WorkerMessage =
  | { type: 'progress'; progress: LoadProgress }
  | { type: 'done'; outcome: LoadOutcome }
  | { type: 'crashed'; message: string };
