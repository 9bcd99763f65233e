/**
 * Child-process entry that runs the Patchbay proxy for the bench, so that the proxy has an event loop (and a heap)
 * of its own, as supergateway does: client-side work in the bench never lands on the proxy's loop, and
 * process.memoryUsage() here is the proxy's alone (its fixture children are separate processes).
 * Started by bench/proxy-target.ts with `node --expose-gc --import tsx`; speaks bench/proxy-ipc.ts over IPC.
 */
import type { ServerEntry } from '../src-shared/catalog';
import { startProxy, type RunningProxy } from '../src-main/services/proxy/proxy-server';
import { FIXTURE_PATH, HOST, MODERN_FIXTURE_PATH } from './config';
import { errorText, withTimeout } from './guard';
import { FIXTURE_SERVER_NAME, MODERN_REMOTE_SERVER_NAME, MODERN_REMOTE_URL_ENV, MODERN_STDIO_SERVER_NAME, type HostMessage, type HostRequest, type MemoryPeak, type MemorySample } from './proxy-ipc';

const entries: ServerEntry[] = [
  { name: FIXTURE_SERVER_NAME, transport: 'stdio', command: process.execPath, args: [FIXTURE_PATH], env: {} },
  // The modern-era figures: the dual-era fixture as a stdio server, and (when the bench started one) as a remote one.
  { name: MODERN_STDIO_SERVER_NAME, transport: 'stdio', command: process.execPath, args: [MODERN_FIXTURE_PATH], env: {} },
];
const modernRemote = process.env[MODERN_REMOTE_URL_ENV];
if (modernRemote) entries.push({ name: MODERN_REMOTE_SERVER_NAME, transport: 'streamable-http', url: modernRemote, headers: {} });

function send(message: HostMessage): void {
  // The bench may already be gone (it then sees us through 'disconnect'); nothing to report to.
  if (process.connected) process.send?.(message);
}

async function sampleMemory(): Promise<MemorySample> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    // Several passes with turns of the loop in between, so objects freed by finalizers and weak callbacks go too.
    for (let pass = 0; pass < 3; pass += 1) {
      gc();
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  const usage = process.memoryUsage();
  return { rss: usage.rss, heapUsed: usage.heapUsed, external: usage.external, arrayBuffers: usage.arrayBuffers, afterGc: gc !== undefined };
}

/** Samples memory every 20 ms between `peak-start` and `peak-stop`, keeping the highest readings. */
const PEAK_SAMPLE_MS = 20;
let peakSampler: { timer: NodeJS.Timeout; peak: MemoryPeak } | undefined;

function startPeakSampling(): void {
  if (peakSampler) clearInterval(peakSampler.timer);
  const peak: MemoryPeak = { heapUsed: 0, rss: 0, samples: 0 };
  const sample = (): void => {
    const usage = process.memoryUsage();
    peak.heapUsed = Math.max(peak.heapUsed, usage.heapUsed);
    peak.rss = Math.max(peak.rss, usage.rss);
    peak.samples += 1;
  };
  sample();
  peakSampler = { timer: setInterval(sample, PEAK_SAMPLE_MS), peak };
}

function stopPeakSampling(): MemoryPeak {
  if (!peakSampler) throw new Error('peak sampling was not started');
  clearInterval(peakSampler.timer);
  const { peak } = peakSampler;
  peakSampler = undefined;
  return peak;
}

let proxy: RunningProxy | undefined;
let stopping = false;

/** Closes every session (ending every fixture child) and exits; bounded so a stuck close cannot keep us alive. */
async function shutdown(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  try {
    if (proxy) await withTimeout(proxy.close(), 15_000, 'proxy.close');
  } catch (error) {
    process.stderr.write(`proxy-host: ${errorText(error)}\n`);
    code = 1;
  }
  process.exit(code);
}

process.on('disconnect', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));
process.on('SIGINT', () => void shutdown(0));

process.on('message', (raw: HostRequest) => {
  const answer = async (): Promise<HostMessage> => {
    if (!proxy) return { type: 'reply', id: raw.id, error: 'the proxy is not running' };
    if (raw.type === 'sessions') return { type: 'reply', id: raw.id, sessions: proxy.sessions.size };
    if (raw.type === 'cpu') {
      const cpu = process.cpuUsage();
      return { type: 'reply', id: raw.id, cpuMs: (cpu.user + cpu.system) / 1000 };
    }
    if (raw.type === 'peak-start') {
      startPeakSampling();
      return { type: 'reply', id: raw.id };
    }
    if (raw.type === 'peak-stop') return { type: 'reply', id: raw.id, peak: stopPeakSampling() };
    return { type: 'reply', id: raw.id, memory: await sampleMemory(), sessions: proxy.sessions.size };
  };
  answer().then(send, (error: unknown) => send({ type: 'reply', id: raw.id, error: errorText(error) }));
});

try {
  proxy = await startProxy({
    catalog: { list: () => entries, get: (name) => entries.find((entry) => entry.name === name) },
    host: HOST,
    idleTimeoutMs: 0,
  });
  send({ type: 'ready', url: proxy.url, token: proxy.token ?? '' });
} catch (error) {
  send({ type: 'failed', error: errorText(error) });
  await shutdown(1);
}
