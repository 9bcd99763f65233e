import { loadavg } from 'node:os';
import { BENCH } from '../config';
import { startCpuLoad } from '../cpu-load';
import { sleep } from '../guard';
import type { Target } from '../target';
import { connectStorm, type StormResult } from './storm';

/** Connect storms run while busy-loop processes load every CPU. */
export interface LoadedStormResult {
  size: number;
  busyProcesses: number;
  /** 1-minute load average when the storms started and when the last one ended. */
  loadAtStart: number;
  loadAtEnd: number;
  /** Connects that failed, over every round (must be 0). */
  lost: number;
  rounds: StormResult[];
}

/**
 * The keep-alive race shows under load: a server closing an idle kept-alive socket just as a client reuses it.
 * Runs BENCH.loadedStorm.rounds storms of `size` Streamable HTTP connects, pausing between rounds for about the
 * idle time after which clients and servers with default settings give up on a socket, while
 * BENCH.loadedStorm.busyProcesses busy loops run; the load is bounded in time and ended afterwards.
 */
export async function connectStormUnderLoad(target: Target, size: number = BENCH.loadedStorm.size): Promise<LoadedStormResult> {
  const settings = BENCH.loadedStorm;
  const load = startCpuLoad(settings.busyProcesses, settings.maxLoadMs);
  const rounds: StormResult[] = [];
  try {
    await sleep(settings.warmUpMs);
    const loadAtStart = loadavg()[0]!;
    const deadline = Date.now() + settings.maxLoadMs - settings.warmUpMs;
    for (let round = 0; round < settings.rounds && Date.now() < deadline; round += 1) {
      if (round > 0) await sleep(settings.pauseMs);
      rounds.push(await connectStorm(target, size));
    }
    return {
      size,
      busyProcesses: load.processes,
      loadAtStart,
      loadAtEnd: loadavg()[0]!,
      lost: rounds.reduce((sum, storm) => sum + storm.size - storm.succeeded, 0),
      rounds,
    };
  } finally {
    await load.stop();
  }
}
