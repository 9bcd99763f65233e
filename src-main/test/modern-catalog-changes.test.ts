import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invokeApi } from '../services/api/api-handlers';
import { startAppServices, type AppServices } from '../services/app-services';
import { isAlive, modernFixtureEntry, waitFor } from './helpers';
import { envelope, modernHeaders } from './modern-helpers';

// The shared child that serves a stdio server's modern requests runs on the catalog entry it was made from: editing,
// disabling, renaming or removing that entry ends it, as it closes the server's legacy sessions.
let dataDir: string;
let services: AppServices;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'patchbay-modern-catalog-'));
  services = await startAppServices({ dataDir, host: 'web' });
});
afterAll(async () => {
  await services?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const call = async (method: string, input: unknown) => {
  const result = await invokeApi(services.handlers, method, input);
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
};

/** A modern echo through the proxy; resolves with the shared child's pid. */
async function echoed(server: string): Promise<number> {
  const response = await fetch(`${services.proxy.url}/servers/${server}/mcp`, {
    method: 'POST',
    headers: modernHeaders(services.proxy, 'tools/call', 'echo'),
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'echo', arguments: { text: 'hi' }, _meta: envelope() } }),
  });
  expect(await response.text()).toContain('echo: hi');
  return services.proxy.modern.sharedChildren().find((child) => child.server === server)!.pid!;
}

describe('changing a server in the catalog', () => {
  it.each([
    ['editing it', (entry: ReturnType<typeof modernFixtureEntry>) => call('updateServer', { name: 'mx', entry: { ...entry, env: { EDITED: '1' } } })],
    ['disabling it', (entry: ReturnType<typeof modernFixtureEntry>) => call('updateServer', { name: 'mx', entry: { ...entry, disabled: true } })],
    ['renaming it', (entry: ReturnType<typeof modernFixtureEntry>) => call('updateServer', { name: 'mx', entry: { ...entry, name: 'mx-renamed' } })],
    ['removing it', () => call('removeServer', { name: 'mx' })],
  ])('ends its shared modern child when %s', async (_what, change) => {
    const entry = modernFixtureEntry('mx');
    await call('addServer', { entry });
    await call('addServer', { entry: modernFixtureEntry('bystander') });
    const pid = await echoed('mx');
    const bystander = await echoed('bystander');
    expect(isAlive(pid)).toBe(true);

    await change(entry);
    await waitFor(() => !isAlive(pid), `the shared child ${pid} to end`);
    expect(services.proxy.modern.sharedChildren().map((child) => child.server)).toEqual(['bystander']);
    expect(isAlive(bystander)).toBe(true);

    for (const name of ['mx', 'mx-renamed', 'bystander']) await call('removeServer', { name }).catch(() => undefined);
    await waitFor(() => !isAlive(bystander), 'the bystander child to end with its server');
    expect(services.proxy.modern.liveChildren).toBe(0);
  });
});
