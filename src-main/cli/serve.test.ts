import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseRecording } from '../../src-shared/recording';
import { FATAL_LINE_PREFIX } from './fatal-errors';

// Spawns the real CLI (`node --import tsx src-main/cli/serve.ts`) against a stdio fixture server.
const REPO_ROOT = resolve(import.meta.dirname, '../..');
const FIXTURE_SERVER = join(REPO_ROOT, 'src-main/test/fixtures/fixture-server.mjs');
const STARTUP_TIMEOUT_MS = 30_000;
const EXIT_TIMEOUT_MS = 20_000;
const CALL_TIMEOUT_MS = 15_000;

interface RunningCli {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Settles once the CLI has exited and all its output has been read. */
  closed: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Set once the test waited for the exit: an exit the test did not wait for is unexpected. */
  exitExpected: boolean;
}

const started: RunningCli[] = [];
const fixturePids: number[] = [];
let configDir: string;
let configPath: string;

beforeAll(async () => {
  configDir = await mkdtemp(join(tmpdir(), 'patchbay-serve-'));
  configPath = join(configDir, 'mcp.json');
  // The fixture's path differs per machine, so the config is written here rather than kept as a fixture.
  const config = {
    mcpServers: {
      fixture: { command: process.execPath, args: [FIXTURE_SERVER] },
      parked: { command: process.execPath, args: [FIXTURE_SERVER], disabled: true },
      // Not an MCP server: it ignores SIGTERM, so stopping it takes the proxy's whole kill grace period.
      stubborn: { command: process.execPath, args: ['-e', "process.on('SIGTERM', () => {}); process.stderr.write('ignoring SIGTERM\\n'); setInterval(() => {}, 1000);"] },
      broken: { env: {} },
    },
  };
  await writeFile(configPath, JSON.stringify(config, null, 2));
});

afterAll(async () => {
  await rm(configDir, { recursive: true, force: true });
});

afterEach(() => {
  // Whatever a failed test left running: the CLI, and the fixture's process group (it leads its own).
  const problems: string[] = [];
  for (const cli of started.splice(0)) {
    const { child } = cli;
    // As vitest does for the tests themselves: an error nobody handled in the CLI fails the test.
    if (cli.stderr().includes(FATAL_LINE_PREFIX)) problems.push(`the CLI died of an error nobody handled:\n${cli.stderr()}`);
    else if (!cli.exitExpected && (child.exitCode !== null || child.signalCode !== null)) {
      problems.push(`the CLI exited by itself (code ${child.exitCode}, signal ${child.signalCode}):\n${cli.stderr()}`);
    }
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  for (const pid of fixturePids.splice(0)) {
    for (const target of [-pid, pid]) {
      try {
        process.kill(target, 'SIGKILL');
      } catch {
        // Already gone, which is the expected case.
      }
    }
  }
  if (problems.length > 0) throw new Error(problems.join('\n'));
});

function startCli(args: string[]): RunningCli {
  const env = { ...process.env };
  delete env.PATCHBAY_TOKEN;
  // The record of running servers goes to the test's folder, not the user's ~/.mcp-patchbay.
  const withDataDir = args.includes('--data-dir') ? args : [...args, '--data-dir', join(configDir, 'data')];
  const child = spawn(process.execPath, ['--import', 'tsx', 'src-main/cli/serve.ts', ...withDataDir], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolvePromise) => {
    child.once('close', (code, signal) => resolvePromise({ code, signal }));
  });
  const cli: RunningCli = { child, stdout: () => stdout, stderr: () => stderr, closed, exitExpected: false };
  started.push(cli);
  return cli;
}

/** Resolves with the first match of `pattern` in one of the CLI's outputs; rejects on timeout or if the CLI exits first. */
function waitForOutput(cli: RunningCli, stream: 'stdout' | 'stderr', pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
  const output = stream === 'stdout' ? cli.stdout : cli.stderr;
  const source = cli.child[stream]!;
  return new Promise((resolvePromise, reject) => {
    const describe = (): string => `\nstdout: ${cli.stdout()}\nstderr: ${cli.stderr()}`;
    const check = (): void => {
      const match = output().match(pattern);
      if (match) finish(() => resolvePromise(match));
    };
    const onExit = (): void => finish(() => reject(new Error(`the CLI exited before printing ${pattern} on ${stream}${describe()}`)));
    const timer = setTimeout(() => finish(() => reject(new Error(`no ${pattern} on ${stream} within ${timeoutMs} ms${describe()}`))), timeoutMs);
    const finish = (settle: () => void): void => {
      clearTimeout(timer);
      source.off('data', check);
      cli.child.off('exit', onExit);
      settle();
    };
    // Registered after the collector in startCli, so the collected text already holds the chunk.
    source.on('data', check);
    cli.child.once('exit', onExit);
    check();
  });
}

function waitForExit(cli: RunningCli, timeoutMs: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  cli.exitExpected = true;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the CLI did not exit within ${timeoutMs} ms\nstdout: ${cli.stdout()}\nstderr: ${cli.stderr()}`)), timeoutMs);
  });
  return Promise.race([cli.closed, timeout]).finally(() => clearTimeout(timer));
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}

/** Like isRunning, but a killed process that nobody has reaped yet (a zombie, on Linux) counts as gone. */
async function isStillRunning(pid: number): Promise<boolean> {
  if (!isRunning(pid)) return false;
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  return !stat?.replace(/^.*\) /s, '').startsWith('Z');
}

async function waitUntil(condition: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
    await new Promise((resolvePromise) => setTimeout(resolvePromise, 50));
  }
}

/** Waits for the banner and reads the URL and token from it. */
async function readBanner(cli: RunningCli): Promise<{ url: string; token: string }> {
  // The banner ends with this line; once it is there, every line before it is too.
  await waitForOutput(cli, 'stdout', /^Press Ctrl\+C to stop\.$/m, STARTUP_TIMEOUT_MS);
  const [, url] = cli.stdout().match(/^Listening on (http:\/\/127\.0\.0\.1:\d+)$/m) ?? [];
  const [, token] = cli.stdout().match(/^Token: (\S+)$/m) ?? [];
  if (!url || !token) throw new Error(`no URL or token in the banner:\n${cli.stdout()}`);
  return { url, token };
}

const textOf = (result: unknown): string => ((result as { content: Array<{ type: string; text: string }> }).content[0]?.text ?? '');

describe('npm run serve', () => {
  it('serves the config over Streamable HTTP with the printed token, and SIGTERM ends every child', async () => {
    const cli = startCli(['--config', configPath, '--port', '0']);
    const { url, token } = await readBanner(cli);
    const fixtureLine = cli.stdout().split('\n').find((line) => line.startsWith('  fixture '));
    expect(fixtureLine?.replace(/ +/g, ' ')).toBe(` fixture Streamable HTTP ${url}/servers/fixture/mcp SSE ${url}/servers/fixture/sse (stdio)`);
    expect(cli.stdout()).not.toMatch(/^ {2}parked /m);
    expect(cli.stdout()).toContain('Disabled in the config, not served: parked\n');
    const warning = `warning: ${configPath}: server "broken" has neither a command nor a url; skipping it\n`;
    await waitForOutput(cli, 'stderr', /skipping it\n/, STARTUP_TIMEOUT_MS);
    expect(cli.stderr()).toBe(warning);

    const client = new Client({ name: 'serve-test', version: '1.0.0' });
    client.onerror = () => {
      // The proxy goes away under the client at the end of the test; its reconnect attempts may fail.
    };
    const transport = new StreamableHTTPClientTransport(new URL(`${url}/servers/fixture/mcp`), {
      requestInit: { headers: { Authorization: `Bearer ${token}` } },
    });
    try {
      await client.connect(transport, { timeout: CALL_TIMEOUT_MS });
      const echo = await client.callTool({ name: 'echo', arguments: { text: 'through the CLI' } }, undefined, { timeout: CALL_TIMEOUT_MS });
      expect(textOf(echo)).toBe('echo: through the CLI');
      const fixturePid = Number(textOf(await client.callTool({ name: 'pid', arguments: {} }, undefined, { timeout: CALL_TIMEOUT_MS })));
      expect(Number.isInteger(fixturePid) && fixturePid > 0).toBe(true);
      fixturePids.push(fixturePid);
      expect(isRunning(fixturePid)).toBe(true);

      // Stop with the client still connected: closing the proxy must end the session and its child.
      cli.child.kill('SIGTERM');
      expect(await waitForExit(cli, EXIT_TIMEOUT_MS)).toEqual({ code: 0, signal: null });
      expect(cli.stdout()).toContain('SIGTERM: stopping; closing 1 session and its server...\nStopped.\n');
      expect(isRunning(fixturePid)).toBe(false);
    } finally {
      await client.close().catch(() => undefined);
    }
  });

  it('exits 1 at a second signal without waiting, killing the servers still stopping', async () => {
    const cli = startCli(['--config', configPath, '--port', '0']);
    const { url, token } = await readBanner(cli);
    const authorization = { Authorization: `Bearer ${token}` };
    // A session spawns its child on initialize; the stubborn child never answers, so this request stays open.
    const pending = fetch(`${url}/servers/stubborn/mcp`, {
      method: 'POST',
      headers: { ...authorization, 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } } }),
    }).catch(() => undefined);

    let childPid: number | undefined;
    let sessionId: string | undefined;
    await waitUntil(
      async () => {
        const answer = (await (await fetch(`${url}/api/sessions`, { headers: authorization })).json()) as { sessions: Array<{ id: string; pid?: number }> };
        childPid = answer.sessions[0]?.pid;
        sessionId = answer.sessions[0]?.id;
        return childPid !== undefined;
      },
      STARTUP_TIMEOUT_MS,
      'the stubborn server has a pid',
    );
    fixturePids.push(childPid!);
    // Only once its SIGTERM handler is installed does the child really outlast the first signal.
    await waitUntil(
      async () => {
        const answer = (await (await fetch(`${url}/api/sessions/${sessionId}/stderr`, { headers: authorization })).json()) as { lines: string[] };
        return answer.lines.includes('ignoring SIGTERM');
      },
      STARTUP_TIMEOUT_MS,
      'the stubborn server to ignore SIGTERM',
    );

    cli.child.kill('SIGTERM');
    await waitForOutput(cli, 'stdout', /^SIGTERM: stopping; closing 1 session and its server\.\.\.$/m, EXIT_TIMEOUT_MS);
    cli.child.kill('SIGINT');
    expect(await waitForExit(cli, EXIT_TIMEOUT_MS)).toEqual({ code: 1, signal: null });
    expect(cli.stderr()).toContain('SIGINT again: exiting now, without waiting for the servers to stop\n');
    expect(cli.stdout()).not.toContain('Stopped.');
    await waitUntil(async () => !(await isStillRunning(childPid!)), EXIT_TIMEOUT_MS, `the stubborn server (pid ${childPid}) is gone`);
    await pending;
  });

  it('closes a session idle for longer than --idle-timeout, and ends its server', async () => {
    const cli = startCli(['--config', configPath, '--port', '0', '--idle-timeout', '1']);
    const { url, token } = await readBanner(cli);
    const client = new Client({ name: 'serve-idle-test', version: '1.0.0' });
    client.onerror = () => {
      // The session is closed under the client on purpose.
    };
    const transport = new StreamableHTTPClientTransport(new URL(`${url}/servers/fixture/mcp`), { requestInit: { headers: { Authorization: `Bearer ${token}` } } });
    try {
      await client.connect(transport, { timeout: CALL_TIMEOUT_MS });
      const fixturePid = Number(textOf(await client.callTool({ name: 'pid', arguments: {} }, undefined, { timeout: CALL_TIMEOUT_MS })));
      fixturePids.push(fixturePid);
      const authorization = { Authorization: `Bearer ${token}` };
      // The default (30 minutes) would keep it for the whole test run.
      await waitUntil(
        async () => ((await (await fetch(`${url}/api/sessions`, { headers: authorization })).json()) as { sessions: unknown[] }).sessions.length === 0,
        STARTUP_TIMEOUT_MS,
        'the idle session to be closed',
      );
      await waitUntil(async () => !(await isStillRunning(fixturePid)), EXIT_TIMEOUT_MS, `the idle session's server (pid ${fixturePid}) is gone`);
      const late = await fetch(`${url}/servers/fixture/mcp`, {
        method: 'POST',
        headers: { ...authorization, 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream', 'Mcp-Session-Id': transport.sessionId! },
        body: JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'tools/list' }),
      });
      expect(late.status).toBe(404);
      expect(await late.text()).toContain('was idle too long: no message for 1 s');
    } finally {
      await client.close().catch(() => undefined);
    }
    cli.child.kill('SIGTERM');
    expect(await waitForExit(cli, EXIT_TIMEOUT_MS)).toEqual({ code: 0, signal: null });
  });

  it('after a crash, the next start ends the servers the crashed run left and says how many', async () => {
    const dataDir = join(configDir, 'crash-data');
    const crashed = startCli(['--config', configPath, '--port', '0', '--data-dir', dataDir]);
    const { url, token } = await readBanner(crashed);
    const client = new Client({ name: 'serve-crash-test', version: '1.0.0' });
    client.onerror = () => {
      // The CLI is killed under the client.
    };
    const transport = new StreamableHTTPClientTransport(new URL(`${url}/servers/fixture/mcp`), { requestInit: { headers: { Authorization: `Bearer ${token}` } } });
    await client.connect(transport, { timeout: CALL_TIMEOUT_MS });
    const fixturePid = Number(textOf(await client.callTool({ name: 'pid', arguments: {} }, undefined, { timeout: CALL_TIMEOUT_MS })));
    // Keeps the server's process group alive after the crash, as an npx-started server's child would.
    const grandchild = Number(textOf(await client.callTool({ name: 'grandchild', arguments: {} }, undefined, { timeout: CALL_TIMEOUT_MS })));
    fixturePids.push(fixturePid, grandchild);
    const record = join(dataDir, 'children', `run-${crashed.child.pid}.json`);
    await waitUntil(async () => (await readFile(record, 'utf8').catch(() => '')).includes(`"pid": ${fixturePid}`), STARTUP_TIMEOUT_MS, 'the server to be recorded');
    crashed.child.kill('SIGKILL');
    expect(await waitForExit(crashed, EXIT_TIMEOUT_MS)).toEqual({ code: null, signal: 'SIGKILL' });
    await client.close().catch(() => undefined);
    expect(await isStillRunning(grandchild)).toBe(true);

    const next = startCli(['--config', configPath, '--port', '0', '--data-dir', dataDir]);
    await readBanner(next);
    expect(next.stdout()).toContain('Ended 1 server process (with what they started) left running by an earlier Patchbay run that did not shut down cleanly.\n');
    await waitUntil(async () => !(await isStillRunning(grandchild)) && !(await isStillRunning(fixturePid)), EXIT_TIMEOUT_MS, 'the orphaned servers are gone');
    next.child.kill('SIGTERM');
    expect(await waitForExit(next, EXIT_TIMEOUT_MS)).toEqual({ code: 0, signal: null });
  });

  it('names the VS Code inputs it cannot ask for, at start and when a client connects to that server', async () => {
    const vscodePath = join(configDir, 'inputs.mcp.json');
    await writeFile(
      vscodePath,
      JSON.stringify({
        inputs: [{ type: 'promptString', id: 'api-key', description: 'API key', password: true }],
        servers: { vault: { type: 'stdio', command: process.execPath, args: [FIXTURE_SERVER], env: { FIXTURE_KEY: '${input:api-key}' } } },
      }),
    );
    const cli = startCli(['--config', vscodePath, '--port', '0']);
    const { url, token } = await readBanner(cli);
    await waitForOutput(cli, 'stderr', /connect it in the Patchbay app\n/, STARTUP_TIMEOUT_MS);
    expect(cli.stderr()).toContain('warning: server "vault" uses the input "api-key" (API key), which serve cannot ask for: it will not start');
    const client = new Client({ name: 'serve-test', version: '1.0.0' });
    const transport = new StreamableHTTPClientTransport(new URL(`${url}/servers/vault/mcp`), { requestInit: { headers: { Authorization: `Bearer ${token}` } } });
    await expect(client.connect(transport, { timeout: CALL_TIMEOUT_MS })).rejects.toThrow(/server "vault" needs the input "api-key" \(API key\)/);
    await client.close().catch(() => undefined);
    cli.child.kill('SIGTERM');
    expect(await waitForExit(cli, EXIT_TIMEOUT_MS)).toEqual({ code: 0, signal: null });
  });

  it('refuses --no-auth on a non-loopback host with exit code 2', async () => {
    const cli = startCli(['--config', configPath, '--port', '0', '--no-auth', '--host', '0.0.0.0']);
    expect(await waitForExit(cli, STARTUP_TIMEOUT_MS)).toEqual({ code: 2, signal: null });
    expect(cli.stderr()).toContain('error: refusing to run without authentication on 0.0.0.0: --no-auth is only allowed on a loopback host\n');
    expect(cli.stdout()).toBe('');
  });

  it('explains a config it cannot read, prints the usage and exits 2', async () => {
    const missing = join(configDir, 'missing.json');
    const cli = startCli(['--config', missing, '--port', '0']);
    expect(await waitForExit(cli, STARTUP_TIMEOUT_MS)).toEqual({ code: 2, signal: null });
    expect(cli.stderr()).toBe(
      `error: ${missing}: cannot read the file: it does not exist\n` +
        'usage: npm run serve -- --config FILE [--port 6277] [--host 127.0.0.1] [--token T] [--no-auth] [--idle-timeout SECONDS] [--data-dir DIR] [--record FILE] [--fault SERVER:KIND[:key=value,...]]... [--faults FILE] [--fault-seed N]\n',
    );
  });

  it('injects the faults its flags name, prints them with their seed, and serves the plan on the control API', async () => {
    const cli = startCli(['--config', configPath, '--port', '0', '--fault', 'fixture:error:methods=prompts/list,code=-32050,message=no prompts: by flag', '--fault-seed', '99']);
    const { url, token } = await readBanner(cli);
    expect(cli.stdout()).toContain('FAULTS ON for "fixture" (seed 99): answer prompts/list with error -32050\n');
    const client = new Client({ name: 'serve-test', version: '1.0.0' });
    const transport = new StreamableHTTPClientTransport(new URL(`${url}/servers/fixture/mcp`), { requestInit: { headers: { Authorization: `Bearer ${token}` } } });
    try {
      await client.connect(transport, { timeout: CALL_TIMEOUT_MS });
      fixturePids.push(Number(textOf(await client.callTool({ name: 'pid', arguments: {} }, undefined, { timeout: CALL_TIMEOUT_MS }))));
      await expect(client.listPrompts(undefined, { timeout: CALL_TIMEOUT_MS })).rejects.toThrow(/no prompts: by flag/);
      const plan = await (await fetch(`${url}/api/servers/fixture/faults`, { headers: { Authorization: `Bearer ${token}` } })).json();
      expect(plan).toMatchObject({ server: 'fixture', plan: { seed: 99, faults: [{ kind: 'error', code: -32050, methods: ['prompts/list'] }] } });
    } finally {
      await client.close().catch(() => undefined);
    }
    cli.child.kill('SIGTERM');
    expect(await waitForExit(cli, EXIT_TIMEOUT_MS)).toEqual({ code: 0, signal: null });
  });

  it('explains a wrong --fault and exits 2', async () => {
    const cli = startCli(['--config', configPath, '--port', '0', '--fault', 'fixture:drop:probability=150%']);
    expect(await waitForExit(cli, STARTUP_TIMEOUT_MS)).toEqual({ code: 2, signal: null });
    expect(cli.stderr()).toContain('error: --fault fixture:drop:probability=150%: probability: must be a share from 0 to 1 (0.25 is 25 %)\n');
    const unknown = startCli(['--config', configPath, '--port', '0', '--fault', 'nobody:drop']);
    expect(await waitForExit(unknown, STARTUP_TIMEOUT_MS)).toEqual({ code: 2, signal: null });
    expect(unknown.stderr()).toContain('error: a fault plan names the server "nobody", which is not in the config\n');
  });

  it('--record saves every message of the run when it stops, a file the replay CLI takes back with every response equal', async () => {
    const recordingPath = join(configDir, 'serve-run.mcp-recording.json');
    const cli = startCli(['--config', configPath, '--port', '0', '--record', recordingPath]);
    const { url, token } = await readBanner(cli);
    expect(cli.stdout()).toContain(`RECORDING every server's messages to ${recordingPath} (saved when serve stops)\n`);
    const client = new Client({ name: 'serve-record-test', version: '1.0.0' });
    const transport = new StreamableHTTPClientTransport(new URL(`${url}/servers/fixture/mcp`), { requestInit: { headers: { Authorization: `Bearer ${token}` } } });
    try {
      await client.connect(transport, { timeout: CALL_TIMEOUT_MS });
      expect(textOf(await client.callTool({ name: 'echo', arguments: { text: 'kept' } }, undefined, { timeout: CALL_TIMEOUT_MS }))).toBe('echo: kept');
      cli.child.kill('SIGTERM');
      expect(await waitForExit(cli, EXIT_TIMEOUT_MS)).toEqual({ code: 0, signal: null });
    } finally {
      await client.close().catch(() => undefined);
    }
    expect(cli.stdout()).toMatch(new RegExp(`^Recording saved to ${recordingPath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: \\d+ messages of fixture\n`, 'm'));
    const recording = parseRecording(await readFile(recordingPath, 'utf8'), recordingPath);
    expect(recording.servers.map((server) => server.name)).toEqual(['fixture']);
    const call = recording.messages.find((message) => message.direction === 'client-to-server' && message.method === 'tools/call');
    expect(call?.body).toMatchObject({ params: { name: 'echo', arguments: { text: 'kept' } } });

    const replay = spawn(process.execPath, ['--import', 'tsx', 'src-main/cli/replay.ts', '--config', configPath, '--server', 'fixture', '--data-dir', join(configDir, 'data'), recordingPath], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let replayed = '';
    replay.stdout.setEncoding('utf8').on('data', (chunk: string) => (replayed += chunk));
    const killer = setTimeout(() => replay.kill('SIGKILL'), 60_000);
    const code = await new Promise<number | null>((done) => replay.once('close', done)).finally(() => clearTimeout(killer));
    expect(code, replayed).toBe(0);
    expect(replayed).toContain('every response matches the recording');
  });

  it('refuses --record into a folder that does not exist, before serving, and exits 2', async () => {
    const cli = startCli(['--config', configPath, '--port', '0', '--record', join(configDir, 'no-such-folder', 'run.json')]);
    expect(await waitForExit(cli, STARTUP_TIMEOUT_MS)).toEqual({ code: 2, signal: null });
    expect(cli.stderr()).toContain(`error: --record: the folder ${join(configDir, 'no-such-folder')} does not exist or cannot be written to\n`);
    expect(cli.stdout()).not.toContain('Listening on');
  });
});
