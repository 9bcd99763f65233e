import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerEntry } from '../../../src-shared/catalog';
import type { ServerDiff } from '../../../src-shared/server-diff';
import type { SnapshotSummary } from '../../../src-shared/server-snapshot';
import { createApiHandlers, invokeApi, type ApiHandlers } from '../api/api-handlers';
import type { CatalogStore } from '../catalog/catalog-store';
import { expectNothingLeft, startTestProxy, surfaceFixtureEntry, type TestProxy } from '../../test/helpers';
import { SnapshotService } from './snapshot-service';

// The snapshots api as the renderer calls it (through invokeApi, payloads checked against the contract) over a
// SnapshotService on a real proxy with the surface fixture as v1 and v2: take, list per server, diff, export,
// import (a second entry, never a replacement), delete; bad input refused with a sentence.
let folder: string;
let proxy: TestProxy;
let handlers: ApiHandlers;
const entries: ServerEntry[] = [surfaceFixtureEntry('notes', 'v1'), surfaceFixtureEntry('notes-next', 'v2', 'legacy')];

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'patchbay-snapshot-api-'));
  proxy = await startTestProxy(entries);
  const snapshots = await SnapshotService.open({ dataDir: folder, proxy: () => proxy, entryOf: (name) => entries.find((entry) => entry.name === name) });
  const catalog = { get: (name: string) => entries.find((entry) => entry.name === name), list: () => entries } as unknown as CatalogStore;
  handlers = createApiHandlers({ catalog, proxy, host: 'web', snapshots });
});

afterAll(async () => {
  await proxy.close();
  await expectNothingLeft(proxy);
  await rm(folder, { recursive: true, force: true });
});

const call = (method: string, payload?: unknown) => invokeApi(handlers, method, payload);
const valueOf = <T>(result: Awaited<ReturnType<typeof call>>): T => {
  if (!result.ok) throw new Error(`the call failed: ${result.error.message}`);
  return result.value as T;
};

describe('the snapshots api', () => {
  it('takes, lists per server, diffs, exports, imports and deletes', async () => {
    const before = valueOf<SnapshotSummary>(await call('takeSnapshot', { server: 'notes' }));
    expect(before).toMatchObject({ server: 'notes', era: 'modern', serverInfo: { version: '1.0.0' }, counts: { tools: 4, resources: 1, resourceTemplates: 0, prompts: 1 } });
    // The entry's era setting is followed: notes-next is pinned to legacy.
    const after = valueOf<SnapshotSummary>(await call('takeSnapshot', { server: 'notes-next' }));
    expect(after).toMatchObject({ server: 'notes-next', era: 'legacy', serverInfo: { version: '2.0.0' } });

    // Saved per server: a folder each.
    expect(await readdir(join(folder, 'snapshots'))).toHaveLength(2);
    expect(valueOf<{ snapshots: SnapshotSummary[] }>(await call('listSnapshots', { server: 'notes' })).snapshots.map((item) => item.id)).toEqual([before.id]);
    expect(valueOf<{ snapshots: SnapshotSummary[] }>(await call('listSnapshots', {})).snapshots.map((item) => item.id)).toEqual([after.id, before.id]);

    const diff = valueOf<ServerDiff>(await call('diffSnapshots', { before: before.id, after: after.id }));
    expect(diff.counts).toEqual({ breaking: 4, additive: 1, cosmetic: 3 });
    expect(diff.changes.filter((change) => change.kind === 'breaking').map((change) => change.summary)).toEqual([
      'tool "add-note": required argument "folder" added',
      'tool "delete-note" removed',
      'tool "set-priority": type of argument "level" narrowed: number → integer',
      'tool "get-stats": output property "wordCount" is no longer always present (no longer required)',
    ]);

    const exported = valueOf<{ fileName: string; text: string }>(await call('exportSnapshot', { id: before.id }));
    expect(exported.fileName).toMatch(/^notes-\d{4}-\d\d-\d\d-\d\d-\d\d-\d\d\.mcp-snapshot\.json$/);
    const imported = valueOf<SnapshotSummary>(await call('importSnapshot', { fileName: exported.fileName, text: exported.text }));
    expect(imported.id).not.toBe(before.id);
    expect(valueOf<{ snapshots: SnapshotSummary[] }>(await call('listSnapshots', { server: 'notes' })).snapshots).toHaveLength(2);
    expect(valueOf<ServerDiff>(await call('diffSnapshots', { before: before.id, after: imported.id })).changes).toEqual([]);

    expect(await call('removeSnapshot', { id: imported.id })).toEqual({ ok: true, value: { removed: imported.id } });
    expect(await call('getSnapshot', { id: imported.id })).toEqual({ ok: false, error: { code: 'rejected', message: `there is no saved snapshot "${imported.id}"` } });
  }, 60_000);

  it('refuses bad input with a sentence', async () => {
    expect(await call('takeSnapshot', { server: 'nope' })).toEqual({ ok: false, error: { code: 'rejected', message: 'there is no server named "nope"' } });
    expect(await call('importSnapshot', { fileName: 'x.json', text: '{"format":"other"}' })).toEqual({
      ok: false,
      error: { code: 'rejected', message: 'x.json is not a readable server snapshot: format: not a Patchbay server snapshot (its "format" is not "mcp-patchbay-snapshot")' },
    });
    const badId = await call('diffSnapshots', { before: '../etc', after: 'x' });
    expect(badId).toMatchObject({ ok: false, error: { code: 'invalid-payload' } });
    expect(JSON.stringify(badId)).toContain('a snapshot id is letters, digits and dashes');
  });

  it('keeps two servers whose names read alike in folders of their own', async () => {
    const store = (await SnapshotService.open({ dataDir: folder, proxy: () => proxy, entryOf: () => undefined })).store;
    expect(store.folderOf('a/b')).not.toBe(store.folderOf('a b'));
    expect(store.folderOf('..')).toMatch(/snapshots\/server-[0-9a-f]{8}$/);
  });

  it('names a saved file that does not read, and lists the rest', async () => {
    const [serverFolder] = await readdir(join(folder, 'snapshots'));
    await writeFile(join(folder, 'snapshots', serverFolder!, 'broken.json'), '{');
    const listed = valueOf<{ snapshots: SnapshotSummary[]; problems: string[] }>(await call('listSnapshots', {}));
    expect(listed.snapshots).toHaveLength(2);
    expect(listed.problems).toEqual([expect.stringMatching(/broken\.json is not valid JSON/)]);
  });
});
