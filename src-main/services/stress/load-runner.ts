import type { HistogramBucket, StressFigures, StressPoint, StressSettings, StressTarget } from '../../../src-shared/stress';
import { STRESS_PROGRESS_POINTS } from '../../../src-shared/stress';
import { CallAbort, LeanConnection, LeanSession, type JsonRpcAnswer } from './lean-mcp-client';
import { StressStats, type CallEnd } from './stress-stats';

/**
 * One stress run's load, in whatever thread runs it (the stress worker): opens the sessions, keeps `concurrency`
 * calls in flight (open loop) or starts them at the target rate, cancels the chosen share after the delay, times
 * out calls past the call timeout, and on stop cancels every call in flight and closes every session it opened.
 */

export interface LoadProgress {
  state: 'starting' | 'running' | 'stopping';
  figures: StressFigures;
  series: StressPoint[];
  histogram: HistogramBucket[];
}

export interface LoadOutcome {
  outcome: 'completed' | 'stopped' | 'failed';
  failure?: string;
  startedAt: number;
  endedAt: number;
  serverInfo?: { name: string; version: string };
  protocolVersion?: string;
  figures: StressFigures;
  series: StressPoint[];
  histogram: HistogramBucket[];
  /** Sessions opened, and how many of them answered the DELETE that closed them. */
  sessionsOpened: number;
  sessionsClosed: number;
}

export interface LoadRunOptions {
  settings: StressSettings;
  /** The proxy's base URL and token: the runner is a client like any other. */
  baseUrl: string;
  token?: string;
  onProgress(progress: LoadProgress): void;
  progressIntervalMs?: number;
  /** Aborted to stop the run: every call in flight is cancelled, every session closed. */
  stop: AbortSignal;
}

interface InFlightCall {
  session: LeanSession;
  id: number;
  abort: CallAbort;
  startedAt: number;
  /** Set once the runner gave up on the call on purpose: its answer, should it come, is not counted as one. */
  endedBy?: 'cancel' | 'timeout' | 'stop';
}

function requestOf(target: StressTarget): { method: string; params: object } {
  if (target.kind === 'tool') return { method: 'tools/call', params: { name: target.name, arguments: target.arguments } };
  if (target.kind === 'resource') return { method: 'resources/read', params: { uri: target.uri } };
  return { method: 'prompts/get', params: { name: target.name, arguments: target.arguments } };
}

/** How an answer counts: success, or an error of its kind. */
export function classifyAnswer(answer: JsonRpcAnswer, latencyMs: number): CallEnd {
  if (answer.kind === 'transport') return { kind: 'error', errorKind: 'transport', message: answer.message, latencyMs };
  if (answer.kind === 'error') return { kind: 'error', errorKind: `jsonrpc ${answer.code}`, message: answer.message, latencyMs };
  if (answer.result.isError === true) {
    const content = Array.isArray(answer.result.content) ? (answer.result.content as { type?: string; text?: string }[]) : [];
    const text = content.find((part) => part.type === 'text')?.text ?? 'the tool answered isError: true';
    return { kind: 'error', errorKind: 'isError', message: text, latencyMs };
  }
  return { kind: 'ok', latencyMs };
}

/** Whether call number `index` (from 1) is one of the share to cancel: spread evenly, exactly the share in the end. */
export function isChosenForCancel(index: number, share: number): boolean {
  return share > 0 && Math.floor(index * share) > Math.floor((index - 1) * share);
}

export async function runLoad(options: LoadRunOptions): Promise<LoadOutcome> {
  const { settings, stop } = options;
  const { load } = settings;
  const connection = new LeanConnection({
    baseUrl: options.baseUrl,
    path: `/servers/${encodeURIComponent(settings.server)}/mcp`,
    token: options.token,
    // A connection per call in flight, and room for the cancels and the closing DELETEs beside them.
    connections: load.concurrency + Math.min(64, load.sessions + 8),
  });
  const openedAt = Date.now();
  const emptyStats = new StressStats(openedAt);
  options.onProgress({ state: 'starting', figures: emptyStats.figures(openedAt, 0, 0), series: [], histogram: [] });

  // Sessions first, all at once (the proxy is made for it); a run that cannot open them all does not start.
  const opening = await Promise.allSettled(Array.from({ length: load.sessions }, () => LeanSession.open(connection, stop)));
  const sessions = opening.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const closeSessions = async (): Promise<number> => {
    const statuses = await Promise.all(sessions.map((session) => session.close()));
    return statuses.filter((status) => status >= 200 && status < 300).length;
  };
  const failedOpen = opening.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failedOpen || stop.aborted) {
    const closed = await closeSessions();
    await connection.close();
    const now = Date.now();
    const reason = failedOpen ? (failedOpen.reason instanceof Error ? failedOpen.reason.message : String(failedOpen.reason)) : undefined;
    return {
      outcome: failedOpen ? 'failed' : 'stopped',
      failure: reason && `could not open a session to "${settings.server}": ${reason}`,
      startedAt: openedAt,
      endedAt: now,
      serverInfo: sessions[0]?.serverInfo,
      protocolVersion: sessions[0]?.protocolVersion,
      figures: emptyStats.figures(now, 0, 0),
      series: [],
      histogram: [],
      sessionsOpened: sessions.length,
      sessionsClosed: closed,
    };
  }

  const { method, params } = requestOf(settings.target);
  const startedAt = Date.now();
  const stats = new StressStats(startedAt);
  const inFlight = new Set<InFlightCall>();
  let issued = 0;
  let nextSession = 0;
  let stopping = false;
  /** Resolves the rate scheduler's wait for a free slot. */
  let slotFreed: (() => void) | undefined;

  const timeUp = (): boolean => load.durationMs !== undefined && Date.now() - startedAt >= load.durationMs;
  const mayStart = (): boolean => !stopping && (load.calls === undefined || issued < load.calls) && !timeUp();
  const progress = (): number => {
    const byTime = load.durationMs === undefined ? 0 : (Date.now() - startedAt) / load.durationMs;
    const byCalls = load.calls === undefined ? 0 : (issued - inFlight.size) / load.calls;
    return Math.max(byTime, byCalls);
  };

  const giveUp = (call: InFlightCall, by: 'cancel' | 'timeout' | 'stop', reason: string): void => {
    if (call.endedBy) return;
    call.endedBy = by;
    // The cancel goes at once, on a POST of its own as an SDK client sends it (so, as for any client, one sent very
    // soon after its request can overtake it on a loaded machine), and the call's own request is dropped once the
    // cancel has been sent: the server hears of it from notifications/cancelled, not from a closed stream.
    void call.session.cancel(call.id, reason).finally(() => call.abort.abort());
  };

  const oneCall = async (): Promise<void> => {
    issued += 1;
    const index = issued;
    const session = sessions[nextSession]!;
    nextSession = (nextSession + 1) % sessions.length;
    const call: InFlightCall = { session, id: session.newId(), abort: new CallAbort(), startedAt: performance.now() };
    inFlight.add(call);
    stats.callStarted();
    const cancelTimer = isChosenForCancel(index, load.cancelShare)
      ? setTimeout(() => giveUp(call, 'cancel', 'cancelled by the stress run'), load.cancelAfterMs)
      : undefined;
    let answer: JsonRpcAnswer | undefined;
    try {
      answer = await session.request(call.id, method, params, call.abort);
    } catch {
      // Aborted: the call was given up on purpose (endedBy says why).
    }
    if (cancelTimer) clearTimeout(cancelTimer);
    inFlight.delete(call);
    const latencyMs = performance.now() - call.startedAt;
    const now = Date.now();
    if (call.endedBy === 'timeout') stats.callEnded({ kind: 'error', errorKind: 'timeout', message: `no answer within ${load.callTimeoutMs} ms`, latencyMs }, now);
    else if (call.endedBy) stats.callEnded({ kind: 'cancelled' }, now);
    else if (answer) stats.callEnded(classifyAnswer(answer, latencyMs), now);
    else stats.callEnded({ kind: 'error', errorKind: 'transport', message: 'the request was aborted', latencyMs }, now);
    slotFreed?.();
  };

  // Calls past their timeout are cancelled by one sweep, not a timer each (thousands of calls a second).
  const sweep = setInterval(() => {
    const oldest = performance.now() - load.callTimeoutMs;
    for (const call of inFlight) if (call.startedAt <= oldest) giveUp(call, 'timeout', `no answer within ${load.callTimeoutMs} ms`);
  }, Math.min(250, Math.max(10, Math.floor(load.callTimeoutMs / 4))));
  const report = (state: LoadProgress['state']): void => {
    const figures = stats.figures(Date.now(), inFlight.size, progress());
    options.onProgress({ state, figures, series: stats.series.slice(-STRESS_PROGRESS_POINTS), histogram: stats.histogram() });
  };
  const ticker = setInterval(() => report(stopping ? 'stopping' : 'running'), options.progressIntervalMs ?? 250);

  const onStop = (): void => {
    stopping = true;
    slotFreed?.();
    for (const call of inFlight) giveUp(call, 'stop', 'the stress run was stopped');
  };
  stop.addEventListener('abort', onStop, { once: true });
  // A duration ends the run on time even while every lane waits for a slow answer.
  const deadline = load.durationMs === undefined ? undefined : setTimeout(() => slotFreed?.(), load.durationMs);

  try {
    if (load.rate === undefined) {
      // Open loop: every lane starts its next call as soon as its last one ended.
      const lane = async (): Promise<void> => {
        while (mayStart()) await oneCall();
      };
      await Promise.all(Array.from({ length: load.concurrency }, lane));
    } else {
      const launched = new Set<Promise<void>>();
      const interval = 1000 / load.rate;
      while (mayStart()) {
        const due = startedAt + issued * interval;
        const wait = due - Date.now();
        if (wait > 1) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, wait);
            slotFreed = () => {
              if (stopping || timeUp()) {
                clearTimeout(timer);
                resolve();
              }
            };
          });
          slotFreed = undefined;
          continue;
        }
        if (inFlight.size >= load.concurrency) {
          await new Promise<void>((resolve) => (slotFreed = resolve));
          slotFreed = undefined;
          continue;
        }
        const running = oneCall();
        launched.add(running);
        void running.finally(() => launched.delete(running));
      }
      await Promise.all(launched);
    }
  } finally {
    clearInterval(sweep);
    clearInterval(ticker);
    if (deadline) clearTimeout(deadline);
    stop.removeEventListener('abort', onStop);
  }
  const endedAt = Date.now();
  stats.finish(endedAt, 0);
  const figures = stats.figures(endedAt, 0, stopping ? progress() : 1);
  const closed = await closeSessions();
  await connection.close();
  return {
    outcome: stopping ? 'stopped' : 'completed',
    startedAt,
    endedAt,
    serverInfo: sessions[0]!.serverInfo,
    protocolVersion: sessions[0]!.protocolVersion,
    figures,
    series: stats.series,
    histogram: stats.histogram(),
    sessionsOpened: sessions.length,
    sessionsClosed: closed,
  };
}
