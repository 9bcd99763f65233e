/**
 * `npx tsx bench/stress-runner.ts`: the stress runner's ceiling, beside what it measures. Three figures of echo-like
 * calls at the same concurrency for the same time:
 *   - runner → null responder: the runner's worker against a process that answers every MCP POST at once with a
 *     fixed JSON body (no server, no proxy): what the load generator alone can drive;
 *   - direct stdio: a lean JSON-lines client straight to the fixture's stdio child: what the server alone serves;
 *   - runner → proxy → stdio: the runner through Patchbay's proxy (in this process) to the same fixture: what a
 *     user of the Stress tab or `npm run stress` sees.
 * The runner must sit well above the other two, or it measures itself. Figures only; nothing is asserted.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { createInterface } from 'node:readline';
import type { ServerEntry } from '../src-shared/catalog';
import type { StressSettings } from '../src-shared/stress';
import { startProxy } from '../src-main/services/proxy/proxy-server';
import { startStressRun } from '../src-main/services/stress/stress-run';
import { FIXTURE_PATH } from './config';

const CONCURRENCY = Number(process.env.STRESS_BENCH_CONCURRENCY ?? 64);
const DURATION_MS = Number(process.env.STRESS_BENCH_DURATION_MS ?? 5000);

// Answers initialize with a session id, notifications with 202, DELETE with 200 and every other request with an
// empty tool result, as JSON: the least an MCP endpoint can do.
const NULL_RESPONDER = `
const http = require('node:http');
const server = http.createServer((req, res) => {
  if (req.method === 'DELETE') return res.writeHead(200).end();
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const message = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    if (message.id === undefined) return res.writeHead(202).end();
    const result = message.method === 'initialize'
      ? { protocolVersion: '2025-11-25', capabilities: { tools: {} }, serverInfo: { name: 'null', version: '0' } }
      : { content: [{ type: 'text', text: 'ok' }] };
    res.writeHead(200, { 'content-type': 'application/json', 'mcp-session-id': 'null-session' });
    res.end(JSON.stringify({ jsonrpc: '2.0', id: message.id, result }));
  });
});
server.listen(0, '127.0.0.1', () => process.stdout.write('listening ' + server.address().port + '\\n'));
process.on('SIGTERM', () => process.exit(0));
`;

const children: ChildProcess[] = [];
function endChildren(): void {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
}
process.on('exit', endChildren);

async function firstLine(child: ChildProcess, pattern: RegExp): Promise<RegExpExecArray> {
  const lines = createInterface({ input: child.stdout! });
  for await (const line of lines) {
    const match = pattern.exec(line);
    if (match) return match;
  }
  throw new Error('the child ended before it was listening');
}

function settings(server: string): StressSettings {
  return {
    server,
    target: { kind: 'tool', name: 'echo', arguments: { text: 'hi' } },
    load: { concurrency: CONCURRENCY, durationMs: DURATION_MS, cancelShare: 0, cancelAfterMs: 50, sessions: 1, callTimeoutMs: 30_000 },
  };
}

async function runnerAgainst(baseUrl: string, token: string | undefined, server: string): Promise<{ callsPerSecond: number; p99: number; errors: number }> {
  const run = await startStressRun({ settings: settings(server), baseUrl, token }).done;
  if (run.outcome === 'failed') throw new Error(run.failure);
  const errors = Object.values(run.figures.errors).reduce((sum, count) => sum + count, 0);
  return { callsPerSecond: run.figures.meanCallsPerSecond, p99: run.figures.latency.p99, errors };
}

/** `CONCURRENCY` echo calls in flight over the fixture's stdio, JSON lines in and out, for `DURATION_MS`. */
async function directStdio(): Promise<{ callsPerSecond: number }> {
  const child = spawn(process.execPath, [FIXTURE_PATH], { stdio: ['pipe', 'pipe', 'ignore'] });
  children.push(child);
  const waiting = new Map<number, () => void>();
  const lines = createInterface({ input: child.stdout! });
  lines.on('line', (line) => {
    const id = (JSON.parse(line) as { id?: number }).id;
    if (id !== undefined) waiting.get(id)?.();
  });
  let nextId = 0;
  const request = (method: string, params: object): Promise<void> =>
    new Promise((resolve) => {
      nextId += 1;
      const id = nextId;
      waiting.set(id, () => {
        waiting.delete(id);
        resolve();
      });
      child.stdin!.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
    });
  await request('initialize', { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'bench', version: '1' } });
  child.stdin!.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`);
  const started = performance.now();
  let done = 0;
  const lane = async (): Promise<void> => {
    while (performance.now() - started < DURATION_MS) {
      await request('tools/call', { name: 'echo', arguments: { text: 'hi' } });
      done += 1;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, lane));
  const seconds = (performance.now() - started) / 1000;
  child.kill('SIGTERM');
  return { callsPerSecond: done / seconds };
}

export type StressRunnerRow = [name: string, callsPerSecond: string, note: string];

/** The three figures, one after the other (each child and the in-process proxy stopped before the next). */
export async function measureStressRunner(progress: (line: string) => void): Promise<StressRunnerRow[]> {
  const rows: StressRunnerRow[] = [];
  progress(`stress runner: ${CONCURRENCY} in flight, ${DURATION_MS / 1000} s each; ${cpus().length} cores, load ${loadavg()[0]!.toFixed(2)}`);
  const responder = spawn(process.execPath, ['-e', NULL_RESPONDER], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(responder);
  try {
    const port = (await firstLine(responder, /^listening (\d+)$/))[1];
    const ceiling = await runnerAgainst(`http://127.0.0.1:${port}`, undefined, 'null');
    rows.push(['runner → null responder (its ceiling)', ceiling.callsPerSecond.toFixed(0), `p99 ${ceiling.p99} ms, ${ceiling.errors} errors`]);
  } finally {
    responder.kill('SIGTERM');
  }

  const direct = await directStdio();
  rows.push(['direct stdio, lean client (the server alone)', direct.callsPerSecond.toFixed(0), '']);

  const proxy = await startProxy({ catalog: { list: () => [entry], get: (name) => (name === 'fixture' ? entry : undefined) }, port: 0 });
  try {
    const through = await runnerAgainst(proxy.url, proxy.token ?? undefined, 'fixture');
    rows.push(['runner → proxy → stdio fixture', through.callsPerSecond.toFixed(0), `p99 ${through.p99} ms, ${through.errors} errors`]);
  } finally {
    await proxy.close();
  }
  return rows;
}

export function renderStressRunnerSection(rows: StressRunnerRow[]): string {
  const width = Math.max(...rows.map((row) => row[0].length));
  const title = `Stress runner: echo with ${CONCURRENCY} in flight for ${DURATION_MS / 1000} s (the runner's worker over Streamable HTTP; the null responder answers at once, so its row is the runner's own ceiling)`;
  return [title, ...rows.map(([name, rate, note]) => `  ${name.padEnd(width)}  ${rate.padStart(7)} calls/s  ${note}`.trimEnd())].join('\n');
}

async function main(): Promise<void> {
  const loadBefore = loadavg()[0]!;
  const rows = await measureStressRunner((line) => void process.stderr.write(`${line}\n`));
  process.stdout.write(`${renderStressRunnerSection(rows)}\n`);
  process.stdout.write(`note: load average (1 min) ${loadBefore.toFixed(2)} before, ${loadavg()[0]!.toFixed(2)} after, on ${cpus().length} CPUs\n`);
}

const entry: ServerEntry = { name: 'fixture', transport: 'stdio', command: process.execPath, args: [FIXTURE_PATH], env: {} };

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main()
    .catch((error: unknown) => {
      process.stderr.write(`stress runner bench failed: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    })
    .finally(endChildren);
}
