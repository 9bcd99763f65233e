import { create } from 'zustand';
import type { StressProgress, StressRun, StressRunSummary, StressSettingsInput } from '../../../../src-shared/stress';
import { getApi } from '../../api/get-api';
import { errorText } from '../../error-text';

/**
 * The Stress view's data, per server: the progress of its run under way (from `stress` events, or stressStatus when a
 * view opens mid-run), the last run that ended, and its saved runs. Kept apart from the inspector store: a run
 * outlives the tab (and the connection) that started it.
 */
interface StressViewState {
  progress: Record<string, StressProgress | undefined>;
  saved: Record<string, StressRunSummary[] | undefined>;
  problems: Record<string, string[] | undefined>;
  errors: Record<string, string | undefined>;
}

export const useStressStore = create<StressViewState>(() => ({ progress: {}, saved: {}, problems: {}, errors: {} }));

let subscribed = false;

/** Listens to stress progress (once for the page) and picks up runs already under way. */
export function followStressRuns(): void {
  if (subscribed) return;
  subscribed = true;
  const api = getApi();
  api.onStressProgress((progress) => {
    useStressStore.setState((state) => ({ progress: { ...state.progress, [progress.server]: progress } }));
    if (progress.state === 'done') void refreshSavedRuns(progress.server);
  });
  void api
    .stressStatus()
    .then(({ runs }) => useStressStore.setState((state) => ({ progress: { ...Object.fromEntries(runs.map((run) => [run.server, run])), ...state.progress } })))
    .catch(() => undefined);
}

const setError = (server: string, error: string | undefined): void => useStressStore.setState((state) => ({ errors: { ...state.errors, [server]: error } }));

export async function refreshSavedRuns(server: string): Promise<void> {
  try {
    const { runs, problems } = await getApi().listStressRuns({ server });
    useStressStore.setState((state) => ({ saved: { ...state.saved, [server]: runs }, problems: { ...state.problems, [server]: problems } }));
  } catch (error) {
    setError(server, errorText(error));
  }
}

export async function startStress(settings: StressSettingsInput): Promise<void> {
  setError(settings.server, undefined);
  try {
    const { runId } = await getApi().startStress(settings);
    // Until its first event: a run that is starting.
    useStressStore.setState((state) => {
      const current = state.progress[settings.server];
      if (current?.runId === runId) return state;
      return { progress: { ...state.progress, [settings.server]: { runId, server: settings.server, state: 'starting', figures: emptyFigures(), series: [], histogram: [] } } };
    });
  } catch (error) {
    setError(settings.server, errorText(error));
  }
}

export async function stopStress(server: string, runId: string): Promise<void> {
  try {
    await getApi().stopStress({ runId });
  } catch (error) {
    setError(server, errorText(error));
  }
}

export async function loadRun(server: string, id: string): Promise<StressRun | undefined> {
  try {
    return await getApi().getStressRun({ id });
  } catch (error) {
    setError(server, errorText(error));
    return undefined;
  }
}

export async function removeRun(server: string, id: string): Promise<void> {
  try {
    await getApi().removeStressRun({ id });
  } catch (error) {
    setError(server, errorText(error));
  }
  await refreshSavedRuns(server);
}

export async function exportRun(server: string, id: string, format: 'json' | 'csv'): Promise<{ fileName: string; text: string } | undefined> {
  try {
    return await getApi().exportStressRun({ id, format });
  } catch (error) {
    setError(server, errorText(error));
    return undefined;
  }
}

function emptyFigures(): StressProgress['figures'] {
  return {
    elapsedMs: 0,
    started: 0,
    ok: 0,
    errors: {},
    errorSamples: {},
    cancelled: 0,
    inFlight: 0,
    callsPerSecond: 0,
    meanCallsPerSecond: 0,
    latency: { count: 0, min: 0, mean: 0, p50: 0, p95: 0, p99: 0, max: 0 },
    progress: 0,
  };
}
