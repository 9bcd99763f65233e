import { fork } from 'node:child_process';
import { join } from 'node:path';
import type { CeilingJob, CeilingLoadResult, CeilingMode, LoadMessage } from '../ceiling-load';
import { BENCH, FIXTURE_PATH, REPO_ROOT } from '../config';
import { errorText, withTimeout } from '../guard';
import { descendants, killAll, onInterrupt, signal } from '../processes';
import type { Target } from '../target';

const LOAD_ENTRY = join(REPO_ROOT, 'bench', 'ceiling-load.ts');

/** One row of the ceiling: a way to the fixture with its sessions and calls in flight. */
export interface CeilingCase {
  label: string;
  mode: CeilingMode;
  sessions: number;
  inFlight: number;
}

export interface CeilingResult extends CeilingLoadResult {
  callsPerSecond: number;
  /** The proxy's CPU time per 1000 calls over the window, ms (through the proxy only). */
  proxyCpuMsPer1000?: number;
  loadCpuMsPer1000: number;
}

/** The rows, in the order they are measured and printed. */
export function ceilingCases(): CeilingCase[] {
  const { inFlight, sessions } = BENCH.ceiling;
  return [
    { label: 'direct stdio (SDK client → child)', mode: 'direct-stdio', sessions: 1, inFlight },
    { label: 'proxy, Streamable HTTP, 1 session', mode: 'streamable', sessions: 1, inFlight },
    { label: `proxy, Streamable HTTP, ${sessions} sessions`, mode: 'streamable', sessions, inFlight: Math.max(1, Math.round(inFlight / sessions)) },
    { label: 'proxy, HTTP+SSE, 1 session', mode: 'sse', sessions: 1, inFlight },
  ];
}

/** Runs one job in a load process of its own (bench/ceiling-load.ts) and waits for its answer, bounded. */
function runInLoadProcess(job: CeilingJob, timeoutMs: number, onWindow: (edge: 'start' | 'end') => void): Promise<CeilingLoadResult> {
  const child = fork(LOAD_ENTRY, [], { cwd: REPO_ROOT, execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  const pid = child.pid;
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => void (stderr = (stderr + chunk).slice(-2000)));
  // Its fixture children (direct stdio) lead their own groups only when the SDK says so; end the whole tree.
  const endAll = (): void => {
    if (pid === undefined) return;
    const tree = descendants(pid);
    signal(pid, 'SIGKILL');
    killAll(tree);
  };
  const forget = onInterrupt(endAll);
  const answer = new Promise<CeilingLoadResult>((resolve, reject) => {
    child.on('message', (message: LoadMessage) => {
      if (message.type === 'window') onWindow(message.edge);
      else if (message.ok) resolve(message.value);
      else reject(new Error(message.error));
    });
    child.once('exit', (code, sig) => reject(new Error(`the load process exited (${sig ?? code}) without an answer: ${stderr.trim().split('\n').slice(-3).join(' | ')}`)));
    child.send(job);
  });
  return withTimeout(answer, timeoutMs, 'the load process').finally(() => {
    endAll();
    forget();
  });
}

/**
 * Measures one case: the load process opens the sessions, warms up, then runs every call slot in a closed loop for
 * the window. Through the proxy, its CPU time is read when the load process says the window starts and ends (an
 * IPC message each way, a few ms off), so the figure per 1000 calls is the proxy's own cost per call.
 */
export async function ceiling(testCase: CeilingCase, proxy: Target | undefined): Promise<CeilingResult> {
  const { warmupMs, durationMs, callTimeoutMs } = BENCH.ceiling;
  const endpoint = testCase.mode === 'streamable' ? proxy?.streamable : testCase.mode === 'sse' ? proxy?.sse : undefined;
  if (testCase.mode !== 'direct-stdio' && !endpoint) throw new Error('no proxy endpoint for this transport');
  const job: CeilingJob = {
    mode: testCase.mode,
    url: endpoint?.url.href,
    token: endpoint?.headers.Authorization?.replace(/^Bearer /, ''),
    fixturePath: FIXTURE_PATH,
    sessions: testCase.sessions,
    inFlight: testCase.inFlight,
    warmupMs,
    durationMs,
    callTimeoutMs,
  };
  const readCpu = (): Promise<number | undefined> => (endpoint && proxy?.cpuMs ? proxy.cpuMs().catch(() => undefined) : Promise.resolve(undefined));
  const edges: Partial<Record<'start' | 'end', Promise<number | undefined>>> = {};
  let result: CeilingLoadResult;
  try {
    result = await runInLoadProcess(job, BENCH.processStartTimeoutMs + warmupMs + durationMs + callTimeoutMs * 2, (edge) => (edges[edge] = readCpu()));
  } catch (error) {
    throw new Error(errorText(error), { cause: error });
  }
  const cpuBefore = await edges.start;
  const cpuAfter = await edges.end;
  if (result.calls === 0) throw new Error(`no call answered${result.firstError ? `: ${result.firstError}` : ''}`);
  const per1000 = (ms: number) => (ms / result.calls) * 1000;
  return {
    ...result,
    callsPerSecond: (result.calls / result.durationMs) * 1000,
    proxyCpuMsPer1000: cpuBefore !== undefined && cpuAfter !== undefined ? per1000(cpuAfter - cpuBefore) : undefined,
    loadCpuMsPer1000: per1000(result.loadCpuMs),
  };
}
