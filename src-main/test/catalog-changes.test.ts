import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LifecycleEvent } from '../../src-shared/events';
import { startAppServices, type AppServices } from '../services/app-services';
import { invokeApi } from '../services/api/api-handlers';
import { connectClient, fixtureEntry, isAlive, waitFor } from './helpers';

// A session runs on the catalog entry it was started from: changing that entry in any way closes it, with a reason,
// through the api as both hosts (IPC and the web bridge) call it.
let dataDir: string;
let services: AppServices;
const events: LifecycleEvent[] = [];

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'patchbay-catalog-changes-'));
  services = await startAppServices({ dataDir, host: 'web' });
  services.proxy.bus.subscribe((event) => events.push(event));
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

/** Connects a client to `server` and returns its session id and child pid. */
async function connected(server: string) {
  const connection = await connectClient(services.proxy, server, 'streamable-http');
  const session = services.proxy.sessions.list().find((candidate) => candidate.server === server)!;
  const pid = session.snapshot().pid!;
  expect(isAlive(pid)).toBe(true);
  return { connection, id: session.id, pid };
}

async function expectClosed(id: string, pid: number, reason: string, detail: string) {
  await waitFor(() => events.some((event) => event.sessionId === id && event.type === 'session-closed'), 'the session to close');
  expect(events.find((event) => event.sessionId === id && event.type === 'session-closed')).toMatchObject({ reason, detail });
  await waitFor(() => !isAlive(pid), 'the child to end');
  expect(services.proxy.sessions.get(id)).toBeUndefined();
}

describe('changing a server in the catalog', () => {
  it.each([
    ['editing it', (entry: ReturnType<typeof fixtureEntry>) => call('updateServer', { name: 'fx', entry: { ...entry, env: { EDITED: '1' } } }), 'server-changed', 'it was edited; connect again to use the new settings'],
    ['disabling it', (entry: ReturnType<typeof fixtureEntry>) => call('updateServer', { name: 'fx', entry: { ...entry, disabled: true } }), 'server-changed', 'it was disabled'],
    ['renaming it', (entry: ReturnType<typeof fixtureEntry>) => call('updateServer', { name: 'fx', entry: { ...entry, name: 'fx-renamed' } }), 'server-removed', 'it was renamed to "fx-renamed"'],
    ['removing it', () => call('removeServer', { name: 'fx' }), 'server-removed', 'it was removed'],
  ])('closes its live sessions when %s, with the reason, and ends their children', async (_what, change, reason, detail) => {
    const entry = fixtureEntry('fx');
    await call('addServer', { entry });
    const other = fixtureEntry('bystander');
    await call('addServer', { entry: other });
    const first = await connected('fx');
    const second = await connected('fx');
    const bystander = await connected('bystander');

    await change(entry);
    await expectClosed(first.id, first.pid, reason, detail);
    await expectClosed(second.id, second.pid, reason, detail);
    // Another server's session is untouched.
    expect(services.proxy.sessions.get(bystander.id)?.state).toBe('ready');

    for (const { connection } of [first, second, bystander]) await connection.close().catch(() => undefined);
    await waitFor(() => services.proxy.sessions.size === 0, 'every session to close');
    for (const name of ['fx', 'fx-renamed', 'bystander']) await call('removeServer', { name }).catch(() => undefined);
  });

  it('leaves sessions alone when the change does not touch their server', async () => {
    await call('addServer', { entry: fixtureEntry('steady') });
    const steady = await connected('steady');
    await call('addServer', { entry: fixtureEntry('newcomer') });
    await call('duplicateServer', { name: 'steady' });
    expect(services.proxy.sessions.get(steady.id)?.state).toBe('ready');
    await steady.connection.close();
    await waitFor(() => !isAlive(steady.pid), 'the child to end');
  });
});
