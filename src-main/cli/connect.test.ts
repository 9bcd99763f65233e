import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedPort, startModernRemoteFixture, startRemoteFixture } from '../test/helpers';
import type { ModernRemoteFixture, RemoteFixture } from '../test/processes';
import { DEFAULT_CONNECT_TIMEOUT_S, type ConnectOptions } from './connect-args';
import { runConnect } from './connect-run';
import { FATAL_LINE_PREFIX } from './fatal-errors';

const REPO_ROOT = resolve(import.meta.dirname, '../..');
const CLI_TIMEOUT_MS = 45_000;

let legacy: RemoteFixture;
let modern: ModernRemoteFixture;

beforeAll(async () => {
  [legacy, modern] = await Promise.all([startRemoteFixture(), startModernRemoteFixture()]);
});

afterAll(async () => {
  await Promise.all([legacy?.stop(), modern?.stop()]);
});

function connectOptions(url: string, more: Partial<ConnectOptions> = {}): ConnectOptions {
  return { url, transport: 'streamable-http', era: 'auto', oauth: {}, timeoutMs: DEFAULT_CONNECT_TIMEOUT_S * 1000, json: false, ...more };
}

/** Runs `tsx src-main/cli/connect.ts` as a user would, to its exit. */
function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'node_modules/tsx/dist/cli.mjs'), join(REPO_ROOT, 'src-main/cli/connect.ts'), ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`npm run connect did not exit within ${CLI_TIMEOUT_MS / 1000} s:\n${stdout}\n${stderr}`));
    }, CLI_TIMEOUT_MS);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
  });
}

describe('runConnect (a real client through a proxy of its own)', () => {
  it('lists a legacy server\'s tools over Streamable HTTP and calls one', async () => {
    const report = await runConnect(connectOptions(`http://127.0.0.1:${legacy.port}/mcp`, { call: { tool: 'echo', args: { text: 'through the proxy' } } }));
    expect(report.error).toBeUndefined();
    expect(report).toMatchObject({ ok: true, era: 'legacy', server: { name: 'patchbay-fixture' } });
    expect(report.tools?.map((tool) => tool.name)).toContain('echo');
    expect(report.call).toEqual({ tool: 'echo', isError: false, content: [{ type: 'text', text: 'echo: through the proxy' }] });
  });

  it('reaches a server over HTTP+SSE', async () => {
    const report = await runConnect(connectOptions(`http://127.0.0.1:${legacy.port}/sse`, { transport: 'sse' }));
    expect(report.error).toBeUndefined();
    expect(report.ok).toBe(true);
    expect(report.tools?.map((tool) => tool.name)).toContain('echo');
  });

  it('speaks the modern era to a modern server when pinned, and in Auto', async () => {
    for (const era of ['modern', 'auto'] as const) {
      const report = await runConnect(connectOptions(modern.url.href, { era, call: { tool: 'echo', args: { text: era } } }));
      expect(report.error).toBeUndefined();
      expect(report).toMatchObject({ ok: true, era: 'modern', protocolVersion: '2026-07-28' });
      expect(report.call?.content).toEqual([{ type: 'text', text: `echo: ${era}` }]);
    }
  });

  it('says why when the server cannot be reached', async () => {
    const report = await runConnect(connectOptions(`http://127.0.0.1:${await closedPort()}/mcp`, { era: 'legacy' }));
    expect(report.ok).toBe(false);
    expect(report.error).toMatch(/ECONNREFUSED|could not connect/);
    expect(report.tools).toBeUndefined();
  });

  it('fails when the called tool answers with an error, and keeps its result', async () => {
    const report = await runConnect(connectOptions(`http://127.0.0.1:${legacy.port}/mcp`, { call: { tool: 'fail', args: {} } }));
    expect(report.ok).toBe(false);
    expect(report.error).toBe('the tool "fail" answered with an error');
    expect(report.call?.isError).toBe(true);
  });

  it('gives up when --timeout is over', async () => {
    // slow answers after its steps: 1.5 s is not enough for 50 steps of 100 ms.
    const report = await runConnect(connectOptions(`http://127.0.0.1:${legacy.port}/mcp`, { timeoutMs: 1500, call: { tool: 'slow', args: { steps: 50, stepMs: 100 } } }));
    expect(report.ok).toBe(false);
    expect(report.error).toMatch(/^gave up (connecting|listing the tools|calling slow): the 1\.5 s of --timeout are over$/);
  });
});

describe('npm run connect', () => {
  it('prints the server, its tools and the call, and exits 0', async () => {
    const { code, stdout, stderr } = await runCli([`http://127.0.0.1:${legacy.port}/mcp`, '--call', 'echo', '--args', '{"text":"hi"}']);
    expect(stderr).not.toContain(FATAL_LINE_PREFIX);
    expect(code).toBe(0);
    expect(stdout).toContain(`Connected to "patchbay-fixture" 1.2.3 at http://127.0.0.1:${legacy.port}/mcp through Patchbay (Streamable HTTP, legacy · 2025-11-25)`);
    expect(stdout).toMatch(/^ {2}echo {2}Echoes its text$/m);
    expect(stdout).toContain('Called echo:\n  echo: hi');
  });

  it('prints one JSON object with --json, and exits 1 with the error when the connect fails', async () => {
    const { code, stdout } = await runCli([`http://127.0.0.1:${await closedPort()}/mcp`, '--json', '--era', 'legacy']);
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as { ok: boolean; error: string };
    expect(report.ok).toBe(false);
    expect(report.error).toMatch(/ECONNREFUSED|could not connect/);
  });

  it('exits 2 with the usage line for a bad flag', async () => {
    const { code, stderr } = await runCli(['--era', 'soon', 'https://example.com/mcp']);
    expect(code).toBe(2);
    expect(stderr).toContain('error: --era takes auto, modern or legacy, not "soon"');
    expect(stderr).toContain('usage: npm run connect -- URL');
  });
});
