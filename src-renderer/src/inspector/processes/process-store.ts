import { create } from 'zustand';
import type { LifecycleEvent } from '../../../../src-shared/events';
import type { ProcessesSnapshot } from '../../../../src-shared/processes';
import { getApi } from '../../api/get-api';
import { errorText } from '../../error-text';

/**
 * The Processes view's data, per server: the monitor's snapshot from getProcesses, read again when a process-sample
 * event for the server arrives (at most once per sampling interval) and every few seconds while the view is shown
 * (ended children and leaks bring no sample). While shown, the view keeps the monitor sampling (watchProcesses).
 */
interface ProcessViewState {
  snapshots: Record<string, ProcessesSnapshot | undefined>;
  errors: Record<string, string | undefined>;
}

export const useProcessStore = create<ProcessViewState>(() => ({ snapshots: {}, errors: {} }));

/** Samples a sparkline draws: two minutes at one a second. */
export const SPARK_SAMPLES = 120;

/** How long a lease asks the monitor to sample; renewed well before it runs out while the view is shown. */
const LEASE_SECONDS = 15;
const RENEW_MS = 5_000;
/** Reads without a sample event (ended children, leaks) come this often. */
const REFRESH_MS = 3_000;

const watched = new Map<string, { count: number; lastRead: number; reading?: Promise<void>; timer?: ReturnType<typeof setInterval> }>();

export async function refreshProcesses(server: string): Promise<void> {
  const entry = watched.get(server);
  if (entry?.reading) return entry.reading;
  const reading = (async () => {
    try {
      // What the sparklines draw, not the whole kept history, since this is read about once a second.
      const snapshot = await getApi().getProcesses({ server, samples: SPARK_SAMPLES });
      useProcessStore.setState((state) => ({ snapshots: { ...state.snapshots, [server]: snapshot }, errors: { ...state.errors, [server]: undefined } }));
    } catch (error) {
      useProcessStore.setState((state) => ({ errors: { ...state.errors, [server]: errorText(error) } }));
    }
  })();
  if (entry) {
    entry.lastRead = Date.now();
    entry.reading = reading.finally(() => (entry.reading = undefined));
  }
  return reading;
}

/**
 * Keeps the server's snapshot fresh until the returned function is called; with `sample` (a live server's tab) it
 * also keeps the monitor sampling. Without (a disconnected server's ended processes and leaks) it only reads.
 */
export function watchProcesses(server: string, sample = true): () => void {
  let entry = watched.get(server);
  if (!entry) {
    entry = { count: 0, lastRead: 0 };
    watched.set(server, entry);
  }
  entry.count += 1;
  if (entry.count === 1) {
    const lease = () => sample && void getApi().watchProcesses({ seconds: LEASE_SECONDS }).catch((error: unknown) => useProcessStore.setState((state) => ({ errors: { ...state.errors, [server]: errorText(error) } })));
    lease();
    let sinceLease = 0;
    entry.timer = setInterval(() => {
      sinceLease += REFRESH_MS;
      if (sinceLease >= RENEW_MS) {
        sinceLease = 0;
        lease();
      }
      void refreshProcesses(server);
    }, REFRESH_MS);
  }
  void refreshProcesses(server);
  return () => {
    const current = watched.get(server);
    if (!current) return;
    current.count -= 1;
    if (current.count > 0) return;
    clearInterval(current.timer);
    watched.delete(server);
  };
}

/** A lifecycle event: a process-sample of a watched server reads its snapshot again, once per sampling interval. */
export function noteProcessEvent(event: LifecycleEvent): void {
  if (event.type !== 'process-sample') return;
  const entry = watched.get(event.server);
  if (!entry) return;
  const interval = useProcessStore.getState().snapshots[event.server]?.intervalMs ?? 1_000;
  if (Date.now() - entry.lastRead < interval * 0.8) return;
  void refreshProcesses(event.server);
}

/** Ends a leaked process; says what happened. */
export async function endProcess(server: string, pid: number): Promise<string> {
  try {
    return (await getApi().endProcess({ pid })).message;
  } catch (error) {
    return errorText(error);
  } finally {
    await refreshProcesses(server);
  }
}
