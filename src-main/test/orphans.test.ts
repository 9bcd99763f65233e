import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { startAppServices } from '../services/app-services';
import { processStartTime } from '../services/proxy/process-start-time';
import { firstText, fixtureEntry, isAlive, waitFor } from './helpers';

const HOST = join(import.meta.dirname, 'fixtures', 'services-host.ts');

/** Every process a test started, ended afterwards whatever happened. */
const started: number[] = [];
const folders: string[] = [];

afterEach(async () => {
  for (const pid of started.splice(0)) {
    for (const target of [-pid, pid]) {
      try {
        process.kill(target, 'SIGKILL');
      } catch {
        // Already gone: the expected case.
      }
    }
  }
  for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
});

async function dataFolder(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'patchbay-orphans-'));
  folders.push(folder);
  return folder;
}

interface Host {
  child: ChildProcess;
  url: string;
  token: string;
  orphans: { ended: number; leftAlone: number; problems: string[] };
}

/** Starts the app's services in their own process on a data folder, with the fixture server in the catalog. */
async function startHost(dataDir: string): Promise<Host> {
  const child = spawn(process.execPath, ['--import', 'tsx', HOST, dataDir, JSON.stringify(fixtureEntry('fixture'))], { stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(child.pid!);
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const line = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => reject(new Error(`the services host did not start within 30 s: ${stderr}`)), 30_000);
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (stdout.includes('\n')) {
        clearTimeout(timer);
        resolve(stdout.split('\n')[0]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the services host exited with ${code}: ${stderr}`));
    });
  });
  return { child, ...(JSON.parse(line) as Omit<Host, 'child'>) };
}

describe('server processes left by a Patchbay that crashed', () => {
  it('are ended at the next start, their whole tree, and counted', async () => {
    const dataDir = await dataFolder();
    const first = await startHost(dataDir);
    expect(first.orphans).toMatchObject({ ended: 0, leftAlone: 0 });

    const client = new Client({ name: 'orphan-test', version: '0' });
    client.onerror = () => {
      // The host is killed under the client.
    };
    const transport = new StreamableHTTPClientTransport(new URL(`${first.url}/servers/fixture/mcp`), { requestInit: { headers: { Authorization: `Bearer ${first.token}` } } });
    await client.connect(transport);
    const serverPid = Number(firstText(await client.callTool({ name: 'pid', arguments: {} })));
    // What an npx-started server does: a process of its own, in the server's process group.
    const grandchild = Number(firstText(await client.callTool({ name: 'grandchild', arguments: {} })));
    started.push(serverPid, grandchild);
    const record = join(dataDir, 'children', `run-${first.child.pid}.json`);
    await waitFor(async () => (await readFile(record, 'utf8').catch(() => '')).includes(`"pid": ${serverPid}`), 'the child to be recorded', 20_000);

    // The crash: no close path runs, so the server and its grandchild live on.
    first.child.kill('SIGKILL');
    await new Promise((resolve) => first.child.once('exit', resolve));
    await client.close().catch(() => undefined);
    expect(isAlive(grandchild)).toBe(true);

    const second = await startHost(dataDir);
    expect(second.orphans).toMatchObject({ ended: 1, leftAlone: 0, problems: [] });
    await waitFor(() => !isAlive(grandchild) && !isAlive(serverPid), 'the orphaned tree to be gone', 10_000);
    await expect(readFile(record, 'utf8')).rejects.toThrow(/ENOENT/);

    // A clean stop leaves no record behind, so the start after it finds nothing.
    second.child.kill('SIGTERM');
    await new Promise((resolve) => second.child.once('exit', resolve));
    const third = await startHost(dataDir);
    expect(third.orphans).toMatchObject({ ended: 0, leftAlone: 0 });
    third.child.kill('SIGTERM');
    await new Promise((resolve) => third.child.once('exit', resolve));
  });

  it('leaves alone a recorded pid whose start time differs, and the children of a Patchbay still running', async () => {
    const dataDir = await dataFolder();
    await mkdir(join(dataDir, 'children'));
    // Processes that are not ours to end, each leading its own group as a server would.
    const spawnBystander = async () => {
      const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 600000)'], { stdio: 'ignore', detached: true });
      started.push(child.pid!);
      await waitFor(async () => (await processStartTime(child.pid!)) !== undefined, 'the bystander to start');
      return child.pid!;
    };
    const reusedPid = await spawnBystander();
    const othersChild = await spawnBystander();
    const crashedRunsChild = await spawnBystander();

    // A run that crashed (its owner's start time matches no running process): one child whose pid now belongs to
    // another process, one child that is really its own.
    await writeFile(
      join(dataDir, 'children', 'run-1.json'),
      JSON.stringify({
        version: 1,
        owner: { pid: 1, startTime: 'not-the-start-of-pid-1' },
        children: [
          { pid: reusedPid, startTime: 'recorded-before-the-pid-was-reused', command: 'node' },
          { pid: crashedRunsChild, startTime: (await processStartTime(crashedRunsChild))!, command: 'node' },
        ],
      }),
    );
    // A Patchbay that is running right now (this test process) and its child.
    await writeFile(
      join(dataDir, 'children', `run-${process.pid}.json`),
      JSON.stringify({
        version: 1,
        owner: { pid: process.pid, startTime: (await processStartTime(process.pid))! },
        children: [{ pid: othersChild, startTime: (await processStartTime(othersChild))!, command: 'node' }],
      }),
    );

    const services = await startAppServices({ dataDir, host: 'web', port: 0 });
    try {
      expect(services.orphans).toMatchObject({ ended: 1, leftAlone: 1, problems: [] });
      expect(isAlive(reusedPid)).toBe(true);
      expect(isAlive(othersChild)).toBe(true);
      await waitFor(() => !isAlive(crashedRunsChild), 'the crashed run’s child to be ended');
      expect((await services.handlers.startupNotices(undefined)).notices).toEqual([
        'Ended 1 server process (with what they started) left running by an earlier Patchbay run that did not shut down cleanly. 1 recorded process id is now used by other programs; left alone.',
      ]);
    } finally {
      await services.close();
    }
  });
});
