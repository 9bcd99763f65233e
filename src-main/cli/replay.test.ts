import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReplayResult } from '../../src-shared/recording';
import { Recorder } from '../services/recording/recorder';
import { connectClient, expectNothingLeft, fixtureEntry, startTestProxy } from '../test/helpers';
import { processesMatching } from '../test/processes';
import { FATAL_LINE_PREFIX } from './fatal-errors';

// Records a session of the fixture in this process, then spawns the real CLI (`node --import tsx
// src-main/cli/replay.ts`) against servers of a config file: the same one, one whose env var changes a tool's answer,
// one that cannot start.
const REPO_ROOT = resolve(import.meta.dirname, '../..');
const FIXTURE_SERVER = join(REPO_ROOT, 'src-main/test/fixtures/fixture-server.mjs');
const TAG = `--patchbay-replay-cli-test=${process.pid}`;
let folder: string;
let configPath: string;
let recordingPath: string;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'patchbay-replay-cli-'));
  configPath = join(folder, 'mcp.json');
  const fixture = (flavor: string) => ({ command: process.execPath, args: [FIXTURE_SERVER, TAG], env: { REPLAY_FLAVOR: flavor } });
  await writeFile(configPath, JSON.stringify({ mcpServers: { fixture: fixture('vanilla'), changed: fixture('chocolate'), missing: { command: join(folder, 'no-such-server') } } }));

  const entry = fixtureEntry('fixture', { REPLAY_FLAVOR: 'vanilla' });
  const proxy = await startTestProxy([entry]);
  const recorder = new Recorder({ bus: proxy.bus, server: 'fixture', name: 'flavor check', entryOf: () => entry });
  const session = await connectClient(proxy, 'fixture', 'streamable-http');
  await session.client.callTool({ name: 'echo', arguments: { text: 'hi' } });
  await session.client.callTool({ name: 'env', arguments: { name: 'REPLAY_FLAVOR' } });
  await session.close();
  recordingPath = join(folder, 'flavor.mcp-recording.json');
  await writeFile(recordingPath, JSON.stringify(recorder.stop()));
  await proxy.close();
  await expectNothingLeft(proxy);
}, 60_000);

afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

/** Runs the CLI to its end (bounded); every run ends its fixture servers, which the last test checks. */
function replay(...flags: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'src-main/cli/replay.ts'), '--config', configPath, '--data-dir', join(folder, 'data'), ...flags], {
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

describe('npm run replay', () => {
  it('exits 0 when every response matches', async () => {
    const run = await replay('--server', 'fixture', recordingPath);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('replay of "flavor check" (patchbay-fixture 1.2.3) against fixture (patchbay-fixture 1.2.3)');
    expect(run.stdout).toMatch(/equal {5}#1 tools\/call echo\n/);
    expect(run.stdout).toContain('2 requests: 2 equal, 0 different, 0 skipped, 0 failed');
    expect(run.stdout).toContain('every response matches the recording');
  }, 120_000);

  it('exits 1 on a difference, naming the request and the path, as text and as JSON', async () => {
    const run = await replay('--server', 'changed', recordingPath);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).toContain('DIFFERENT #2 tools/call env');
    expect(run.stdout).toContain('/result/content/0/text: "vanilla" → "chocolate"');
    const json = await replay('--server', 'changed', recordingPath, '--json');
    expect(json.code).toBe(1);
    const result = JSON.parse(json.stdout) as ReplayResult;
    expect(result.outcome).toBe('differ');
    expect(result.requests[1]).toMatchObject({ method: 'tools/call', target: 'env', outcome: 'different', differences: [{ path: '/result/content/0/text', recorded: 'vanilla', replayed: 'chocolate' }] });
  }, 120_000);

  it('exits 0 when --ignore covers the difference', async () => {
    const run = await replay('--server', 'changed', recordingPath, '--ignore', 'result.content[0].text');
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toContain('ignored: result.content[0].text');
  }, 120_000);

  it('exits 2 for bad flags and bad recording files, saying what is wrong', async () => {
    const notJson = join(folder, 'not-json.json');
    await writeFile(notJson, '{"format": "mcp-patchbay-recording",');
    const notRecording = join(folder, 'other.json');
    await writeFile(notRecording, JSON.stringify({ format: 'something-else' }));
    const runs = await Promise.all([
      replay('--server', 'fixture'),
      replay('--server', 'fixture', recordingPath, '--ignore', 'result..text'),
      replay('--server', 'fixture', notJson),
      replay('--server', 'fixture', notRecording),
      replay('--server', 'nope', recordingPath),
      replay('--server', 'fixture', join(folder, 'absent.json')),
    ]);
    expect(runs.map((run) => run.code)).toEqual([2, 2, 2, 2, 2, 2]);
    expect(runs[0]!.stderr).toContain('error: name the RECORDING file to replay');
    expect(runs[0]!.stderr).toContain('usage: npm run replay');
    expect(runs[1]!.stderr).toContain('error: --ignore: "result..text" is not a path');
    expect(runs[2]!.stderr).toContain(`error: RECORDING: ${notJson} is not valid JSON`);
    expect(runs[3]!.stderr).toContain(`error: RECORDING: ${notRecording} is not a readable recording: format: not a Patchbay recording`);
    expect(runs[4]!.stderr).toContain('has no server named "nope" (it has "fixture", "changed", "missing")');
    expect(runs[5]!.stderr).toContain('absent.json cannot be read (ENOENT)');
  }, 180_000);

  it('exits 3 when the server cannot be reached, saying why', async () => {
    const run = await replay('--server', 'missing', recordingPath);
    expect(run.code).toBe(3);
    expect(run.stdout).toContain('failed: could not connect to "missing" through the proxy');
  }, 120_000);

  it('leaves no fixture server running', () => {
    expect(processesMatching(TAG)).toEqual([]);
  });
});
