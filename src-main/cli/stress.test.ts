import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FATAL_LINE_PREFIX } from './fatal-errors';
import { processesMatching } from '../test/processes';

// Spawns the real CLI (`node --import tsx src-main/cli/stress.ts`) against the stdio fixture server.
const REPO_ROOT = resolve(import.meta.dirname, '../..');
const FIXTURE_SERVER = join(REPO_ROOT, 'src-main/test/fixtures/fixture-server.mjs');
const TAG = `--patchbay-stress-cli-test=${process.pid}`;
let folder: string;
let configPath: string;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'patchbay-stress-cli-'));
  configPath = join(folder, 'mcp.json');
  const config = {
    mcpServers: {
      fixture: { command: process.execPath, args: [FIXTURE_SERVER, TAG] },
      missing: { command: join(folder, 'no-such-server') },
    },
  };
  await writeFile(configPath, JSON.stringify(config));
});

afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

/** Runs the CLI to its end (bounded); every run ends its fixture servers, which the last test checks. */
function stress(...flags: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'src-main/cli/stress.ts'), '--config', configPath, '--data-dir', join(folder, 'data'), ...flags], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const killer = setTimeout(() => child.kill('SIGKILL'), 90_000);
  return new Promise((done) =>
    child.on('close', (code) => {
      clearTimeout(killer);
      expect(stderr).not.toContain(FATAL_LINE_PREFIX);
      done({ code, stdout, stderr });
    }),
  );
}

describe('npm run stress', () => {
  it('exits 0 within its thresholds and prints the figures', async () => {
    const run = await stress('--server', 'fixture', '--tool', 'echo', '--args', '{"text":"hi"}', '--concurrency', '5', '--calls', '50', '--max-error-rate', '0', '--max-p99', '60s');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('stress fixture (patchbay-fixture 1.2.3): tools/call echo; 5 in flight, 50 calls, open loop, 1 session');
    expect(run.stdout).toContain('completed after');
    expect(run.stdout).toContain('50 calls sent, 50 ok, 0 errors, 0 cancelled');
    expect(run.stdout).toMatch(/ok: error rate 0\.00 % <= 0\.00 %/);
    expect(run.stdout).toMatch(/ok: p99 .* <= 60000 ms/);
  });

  it('exits 1 past the error-rate threshold, with the run as JSON', async () => {
    const run = await stress('--server', 'fixture', '--tool', 'mixed', '--args', '{"errorEvery":2}', '--concurrency', '1', '--calls', '20', '--json', '--max-error-rate', '0.1');
    expect(run.code, run.stderr).toBe(1);
    const report = JSON.parse(run.stdout) as { run: { figures: { ok: number; errors: Record<string, number> } }; thresholds: { name: string; passed: boolean; actual: number }[] };
    expect(report.run.figures).toMatchObject({ ok: 10, errors: { 'jsonrpc -32000': 10 } });
    expect(report.thresholds).toEqual([expect.objectContaining({ name: 'error rate', passed: false, actual: 0.5 })]);
  });

  it('exits 1 past the p99 threshold', async () => {
    const run = await stress('--server', 'fixture', '--tool', 'mixed', '--args', '{"delayMs":50}', '--concurrency', '2', '--calls', '6', '--max-p99', '10ms');
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).toMatch(/FAILED: p99 [\d.]+ ms > 10\.0 ms/);
  });

  it('exits 2 for a bad flag or an unknown server, naming it', async () => {
    const bad = await stress('--server', 'fixture', '--tool', 'echo', '--concurrency', '0');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('error: --concurrency: concurrency is at least 1');
    expect(bad.stderr).toContain('usage: npm run stress');
    const unknown = await stress('--server', 'nope', '--tool', 'echo');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('has no server named "nope" (it has "fixture", "missing")');
  });

  it('exits 3 when no session can be opened, saying why', async () => {
    const run = await stress('--server', 'missing', '--tool', 'echo', '--calls', '1');
    expect(run.code).toBe(3);
    expect(run.stdout).toContain('failed: could not open a session to "missing"');
  });

  it('leaves no fixture server running', () => {
    expect(processesMatching(TAG)).toEqual([]);
  });
});
