import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { invokeApi } from '../services/api/api-handlers';
import { startAppServices, type AppServices } from '../services/app-services';
import { connectClient, fixtureEntry, waitFor } from './helpers';

const folders: string[] = [];
const running: AppServices[] = [];

afterEach(async () => {
  for (const services of running.splice(0)) await services.close();
  for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
});

async function start(dataDir: string, idleTimeoutMs?: number): Promise<AppServices> {
  const services = await startAppServices({ dataDir, host: 'web', port: 0, idleTimeoutMs });
  running.push(services);
  return services;
}

async function dataFolder(settings?: unknown): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'patchbay-settings-'));
  folders.push(folder);
  if (settings !== undefined) await writeFile(join(folder, 'settings.json'), typeof settings === 'string' ? settings : JSON.stringify(settings));
  return folder;
}

/** Connects a session to the fixture and resolves once the proxy closed it for being idle. */
async function reapedWhenIdle(services: AppServices): Promise<void> {
  if (!services.catalog.get('fixture')) await services.catalog.add(fixtureEntry('fixture'));
  const closes: string[] = [];
  services.proxy.bus.subscribe((event) => {
    if (event.type === 'session-closed') closes.push(event.reason);
  });
  const connection = await connectClient(services.proxy, 'fixture', 'streamable-http');
  try {
    await waitFor(() => closes.includes('idle-timeout'), 'the idle session to be reaped', 20_000);
  } finally {
    await connection.client.close();
  }
}

describe("the app's idle-timeout setting", () => {
  it('is read from settings.json in the data folder at start', async () => {
    const services = await start(await dataFolder({ idleTimeoutSeconds: 0.3 }));
    expect(await services.handlers.getSettings(undefined)).toEqual({ idleTimeoutSeconds: 0.3 });
    await reapedWhenIdle(services);
  });

  it('is changed through the api, saved atomically and applied at once', async () => {
    const dataDir = await dataFolder();
    const services = await start(dataDir);
    expect(await services.handlers.getSettings(undefined)).toEqual({ idleTimeoutSeconds: 1800 });
    expect(await invokeApi(services.handlers, 'updateSettings', { idleTimeoutSeconds: 0.3 })).toEqual({ ok: true, value: { idleTimeoutSeconds: 0.3 } });
    expect(JSON.parse(await readFile(join(dataDir, 'settings.json'), 'utf8'))).toEqual({ idleTimeoutSeconds: 0.3 });
    expect((await readdir(dataDir)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    await reapedWhenIdle(services);
  });

  it('answers bad values with a readable error and changes nothing', async () => {
    const dataDir = await dataFolder();
    const services = await start(dataDir);
    for (const [input, message] of [
      [{ idleTimeoutSeconds: -5 }, 'idleTimeoutSeconds must be 0 (never) or more'],
      [{ idleTimeoutSeconds: 'soon' }, 'idleTimeoutSeconds must be a number of seconds'],
      [{ idleTimeoutSeconds: 10 ** 9 }, 'idleTimeoutSeconds must be at most 604800 (a week); use 0 for never'],
      [{ idleSeconds: 5 }, 'idleSeconds'],
    ] as const) {
      const answer = await invokeApi(services.handlers, 'updateSettings', input);
      expect(answer.ok).toBe(false);
      expect(answer.ok ? '' : answer.error.message).toContain(message);
    }
    expect(await services.handlers.getSettings(undefined)).toEqual({ idleTimeoutSeconds: 1800 });
  });

  it('keeps a settings file it cannot read aside and starts with the defaults', async () => {
    const warnings: string[] = [];
    const dataDir = await dataFolder('{"idleTimeoutSeconds": "half an hour"}');
    const services = await startAppServices({ dataDir, host: 'web', port: 0, onWarning: (message) => warnings.push(message) });
    running.push(services);
    expect(await services.handlers.getSettings(undefined)).toEqual({ idleTimeoutSeconds: 1800 });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/settings\.json was not valid: .*idleTimeoutSeconds.*; kept it as .*settings\.json\.bad-\d+ and used the defaults/);
  });

  it('gives way to the host’s explicit option (a command-line flag)', async () => {
    const services = await start(await dataFolder({ idleTimeoutSeconds: 1200 }), 300);
    expect(await services.handlers.getSettings(undefined)).toEqual({ idleTimeoutSeconds: 0.3 });
    await reapedWhenIdle(services);
  });
});
