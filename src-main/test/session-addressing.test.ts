import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ClientTransportKind, ServerEntry } from '../../src-shared/catalog';
import { connectClient, expectNothingLeft, firstText, fixtureEntry, startTestProxy, streamableHeaders, waitFor, type TestProxy } from './helpers';

// A session is addressed by its id alone: what happens to its catalog entry meanwhile changes nothing for it.
let proxy: TestProxy;

beforeAll(async () => {
  proxy = await startTestProxy([]);
});

afterAll(async () => {
  await proxy?.close();
});

afterEach(async () => {
  await expectNothingLeft(proxy);
});

/** Ways the catalog entry of a live session can change under it. */
const CATALOG_CHANGES: Record<string, (entries: ServerEntry[], name: string) => void> = {
  removed: (entries, name) => void entries.splice(entries.findIndex((entry) => entry.name === name), 1),
  renamed: (entries, name) => replace(entries, name, (entry) => ({ ...entry, name: `${name}-renamed` })),
  disabled: (entries, name) => replace(entries, name, (entry) => ({ ...entry, disabled: true })),
  edited: (entries, name) => replace(entries, name, (entry) => (entry.transport === 'stdio' ? { ...entry, args: [...entry.args, '--edited'] } : entry)),
};

function replace(entries: ServerEntry[], name: string, change: (entry: ServerEntry) => ServerEntry): void {
  const index = entries.findIndex((entry) => entry.name === name);
  entries[index] = change(entries[index]!);
}

const cases = Object.keys(CATALOG_CHANGES).flatMap((change) => (['streamable-http', 'sse'] as const).map((kind) => [change, kind] as const));

describe('a session whose catalog entry changed', () => {
  it.each(cases)('still answers, and ends when asked, once its entry was %s (%s)', async (change, kind: ClientTransportKind) => {
    const name = `addressed-${change}-${kind}`;
    proxy.entries.push(fixtureEntry(name));
    const connection = await connectClient(proxy, name, kind);
    const sessionId = proxy.sessions.list().find((session) => session.server === name)!.id;
    CATALOG_CHANGES[change]!(proxy.entries, name);

    // POST (Streamable HTTP with Mcp-Session-Id; SSE's messages?sessionId=) still reaches the session.
    expect(firstText(await connection.client.callTool({ name: 'echo', arguments: { text: 'after the change' } }))).toBe('echo: after the change');

    if (kind === 'streamable-http') {
      // GET finds the session too: the transport answers (the client already holds the one standalone stream).
      const get = await fetch(`${proxy.url}/servers/${name}/mcp`, { headers: { ...streamableHeaders(proxy, sessionId), Accept: 'text/event-stream' } });
      const body = await get.text();
      expect({ status: get.status, body }).toMatchObject({ status: 409, body: expect.stringMatching(/Only one SSE stream/) });
      // DELETE ends it at once rather than leaving it to the idle reaper.
      const deleted = await fetch(`${proxy.url}/servers/${name}/mcp`, { method: 'DELETE', headers: streamableHeaders(proxy, sessionId) });
      expect(deleted.status).toBe(200);
      expect(proxy.events.find((event) => event.type === 'session-closed' && event.sessionId === sessionId)).toMatchObject({ reason: 'client-deleted' });
    }
    await connection.close();
    await waitFor(() => proxy.sessions.get(sessionId) === undefined, 'the session to close');
  });

  it('only a new session consults the catalog', async () => {
    proxy.entries.push(fixtureEntry('addressed-gone'));
    CATALOG_CHANGES.removed!(proxy.entries, 'addressed-gone');
    await expect(connectClient(proxy, 'addressed-gone', 'streamable-http')).rejects.toThrow(/Unknown server .*addressed-gone.*it is not in the catalog/);
    proxy.entries.push({ ...fixtureEntry('addressed-off'), disabled: true });
    await expect(connectClient(proxy, 'addressed-off', 'sse')).rejects.toThrow(/409/);
  });

  it('a session id is only found at the URL it was opened at', async () => {
    proxy.entries.push(fixtureEntry('addressed-one'), fixtureEntry('addressed-two'));
    const connection = await connectClient(proxy, 'addressed-one', 'streamable-http');
    const sessionId = proxy.sessions.list().find((session) => session.server === 'addressed-one')!.id;
    const elsewhere = await fetch(`${proxy.url}/servers/addressed-two/mcp`, { method: 'DELETE', headers: streamableHeaders(proxy, sessionId) });
    expect(elsewhere.status).toBe(404);
    expect(proxy.sessions.get(sessionId)?.state).toBe('ready');
    await connection.close();
  });
});
