import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DoctorReportSchema } from '../../src-shared/doctor';
import { BROKEN_SERVER, FIXTURE_SERVER, processesMatching, startBrokenRemoteServer, type ModernRemoteFixture } from '../test/processes';
import { FATAL_LINE_PREFIX } from './fatal-errors';
import { parseDoctorArgs, UsageError } from './doctor-args';

// Spawns the real CLI (`node --import tsx src-main/cli/doctor.ts`) on servers of a config file, a URL and a command.
const REPO_ROOT = resolve(import.meta.dirname, '../..');
const TAG = `--patchbay-doctor-cli-test=${process.pid}`;
let folder: string;
let configPath: string;
let notFound: ModernRemoteFixture;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'patchbay-doctor-cli-'));
  configPath = join(folder, 'mcp.json');
  const broken = (mode: string) => ({ command: process.execPath, args: [BROKEN_SERVER, mode, TAG] });
  await writeFile(configPath, JSON.stringify({ mcpServers: { good: { command: process.execPath, args: [FIXTURE_SERVER, TAG] }, banner: broken('banner'), exits: broken('exits') } }));
  notFound = await startBrokenRemoteServer('http-404', TAG);
});

afterAll(async () => {
  await notFound.stop();
  await rm(folder, { recursive: true, force: true });
});

function doctor(...flags: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'src-main/cli/doctor.ts'), '--timeout', '5s', ...flags], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise((done) =>
    child.on('close', (code) => {
      clearTimeout(killer);
      expect(stderr).not.toContain(FATAL_LINE_PREFIX);
      done({ code, stdout, stderr });
    }),
  );
}

describe('npm run doctor', () => {
  it('exits 0 when every check passes', async () => {
    const run = await doctor('--config', configPath, '--server', 'good');
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain('✓ passed   It answers the handshake in time');
    expect(run.stdout).toMatch(/every check passed/);
  }, 90_000);

  it('exits 1 on a banner on stdout, printing the offending line and the fix', async () => {
    const run = await doctor('--config', configPath, '--server', 'banner');
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('✗ FAILED   Stdout carries only JSON-RPC');
    expect(run.stdout).toContain('  Weather MCP server v1.0 starting...');
    expect(run.stdout).toContain('fix: Send logs, banners and debug output to stderr');
  }, 90_000);

  it('prints the report as JSON that the shared schema reads, for a server that exits at once', async () => {
    const run = await doctor('--config', configPath, '--server', 'exits', '--json');
    expect(run.code).toBe(1);
    const report = DoctorReportSchema.parse(JSON.parse(run.stdout));
    expect(report.checks.find((check) => check.id === 'process-starts')).toMatchObject({ status: 'failed', evidence: [{ label: 'stderr', text: 'Error: API_KEY is not set' }] });
    expect(report.checks.find((check) => check.id === 'environment-variables')?.status).toBe('failed');
  }, 90_000);

  it('diagnoses a URL that answers 404, and a command given on the command line', async () => {
    const url = await doctor('--url', notFound.url.href);
    expect(url.code).toBe(1);
    expect(url.stdout).toContain('✗ FAILED   The HTTP status: POST /mcp answered 404 Not Found');
    const command = await doctor('--command', process.execPath, '--', BROKEN_SERVER, 'banner', TAG);
    expect(command.code).toBe(1);
    expect(command.stdout).toContain('Weather MCP server v1.0 starting...');
  }, 90_000);

  it('exits 2 on bad flags, naming them', async () => {
    const run = await doctor('--config', configPath, '--server', 'nope');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('has no server named "nope" (it has "good", "banner", "exits")');
    expect((await doctor()).code).toBe(2);
  }, 90_000);

  it('left none of the servers it started running', () => {
    expect(processesMatching(TAG).filter((pid) => pid !== notFound.child.pid)).toEqual([]);
  });
});

describe('doctor flags', () => {
  it('refuses two targets, a stray --env and a malformed one', () => {
    expect(() => parseDoctorArgs(['--url', 'http://x/mcp', '--command', 'node'])).toThrow(new UsageError('give one server to diagnose, not --url and --command'));
    expect(() => parseDoctorArgs(['--url', 'http://x/mcp', '--env', 'A=1'])).toThrow('--env goes with --command');
    expect(() => parseDoctorArgs(['--command', 'node', '--env', 'nope'])).toThrow('--env: "nope" is not NAME=VALUE');
    expect(() => parseDoctorArgs(['--url', 'http://x/mcp', '--transport', 'stdio'])).toThrow('is not streamable-http or sse');
  });

  it('takes a command with its arguments and environment', () => {
    expect(parseDoctorArgs(['--command', 'npx', '--env', 'API_KEY=k=v', '--', '-y', 'pkg'])).toEqual({
      kind: 'doctor',
      options: { target: { kind: 'command', command: 'npx', args: ['-y', 'pkg'], env: { API_KEY: 'k=v' } }, json: false, timeoutMs: 10_000 },
    });
  });
});
