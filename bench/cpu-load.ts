import { spawn } from 'node:child_process';
import { descendants, killAll, onInterrupt, signal, stopProcess, watchExit } from './processes';

/** Busy-loop processes that load the CPUs for a bounded time. */
export interface CpuLoad {
  readonly processes: number;
  /** Ends every busy process and waits for it; never rejects. */
  stop(): Promise<void>;
}

/**
 * Starts `count` processes that spin the CPU. Each also ends itself after `maxMs`, so a bench that dies without
 * its finally block cannot leave them spinning; an interrupt kills them as well.
 */
export function startCpuLoad(count: number, maxMs: number): CpuLoad {
  const spinner = `const end = Date.now() + ${Math.round(maxMs)}; while (Date.now() < end) { Math.sqrt(Math.random()); }`;
  const children = Array.from({ length: count }, () => {
    const child = spawn(process.execPath, ['-e', spinner], { stdio: 'ignore' });
    return { child, watch: watchExit(child) };
  });
  const forget = onInterrupt(() => killAll(children.flatMap(({ child }) => (child.pid === undefined ? [] : [child.pid, ...descendants(child.pid)]))));
  return {
    processes: count,
    stop: async () => {
      await Promise.all(children.map(({ child, watch }) => (child.pid === undefined ? undefined : stopProcess(child.pid, watch, () => signal(child.pid!, 'SIGKILL')))));
      forget();
    },
  };
}
