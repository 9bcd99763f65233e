import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeChange, diffSnapshots } from '../../../src-shared/server-diff';
import { expectNothingLeft, fixtureEntry, startTestProxy, surfaceFixtureEntry, type TestProxy } from '../../test/helpers';
import { captureSnapshot } from './capture-snapshot';
import { SnapshotError } from './snapshot-error';

// Snapshots of real servers through the proxy: the surface fixture (SDK 2.x) in both eras as v1 and v2, and the
// legacy fixture (SDK 1.x) listing its resources a page at a time.
let proxy: TestProxy;

beforeAll(async () => {
  proxy = await startTestProxy([
    surfaceFixtureEntry('notes-v1', 'v1'),
    surfaceFixtureEntry('notes-v2', 'v2'),
    fixtureEntry('paged', { FIXTURE_PAGE_SIZE: '4' }),
    { name: 'missing', transport: 'stdio', command: '/nonexistent/patchbay-no-such-server', args: [], env: {} },
  ]);
});

afterAll(async () => {
  await proxy.close();
  await expectNothingLeft(proxy);
});

const through = () => ({ url: proxy.url, token: proxy.token });

/** The v1 → v2 changes the fixture makes, as the diff words them. */
const EXPECTED_V1_TO_V2 = [
  'BREAKING  tool "add-note": required argument "folder" added',
  'BREAKING  tool "delete-note" removed',
  'BREAKING  tool "set-priority": type of argument "level" narrowed: number → integer',
  'BREAKING  tool "get-stats": output property "wordCount" is no longer always present (no longer required)',
  'ADDITIVE  tool "search-notes" added',
  'COSMETIC  server version changed: "1.0.0" → "2.0.0"',
  'COSMETIC  tool "add-note": description changed',
];

describe('captureSnapshot', () => {
  it('snapshots a server in the legacy era: identity, capabilities, instructions, tools with schemas and annotations, resources, prompts', async () => {
    const snapshot = await captureSnapshot({ server: 'notes-v1', proxy: through(), era: 'legacy' });
    expect(snapshot).toMatchObject({ server: 'notes-v1', era: 'legacy', serverInfo: { name: 'patchbay-surface-fixture', version: '1.0.0' }, instructions: 'Keeps notes for MCP Patchbay tests.' });
    expect(snapshot.protocolVersion).toMatch(/^2025-/);
    expect(Object.keys(snapshot.capabilities)).toEqual(expect.arrayContaining(['tools', 'resources', 'prompts', 'logging']));
    expect(snapshot.tools.map((tool) => tool.name)).toEqual(['add-note', 'delete-note', 'set-priority', 'get-stats']);
    const stats = snapshot.tools.find((tool) => tool.name === 'get-stats')!;
    expect(stats.outputSchema).toMatchObject({ type: 'object', required: ['notes', 'wordCount'] });
    expect(stats.annotations).toEqual({ readOnlyHint: true });
    expect(snapshot.tools[0]!.inputSchema).toMatchObject({ type: 'object', properties: { text: { type: 'string' } }, required: ['text'] });
    expect(snapshot.resources).toEqual([{ uri: 'notes://all', name: 'all-notes', description: 'Every note', mimeType: 'application/json' }]);
    expect(snapshot.prompts).toEqual([{ name: 'summarize', description: 'Summarizes the notes', arguments: [{ name: 'topic', required: true }] }]);
  }, 30_000);

  it('snapshots the same server in the modern era (server/discover) with the same surface', async () => {
    const legacy = await captureSnapshot({ server: 'notes-v1', proxy: through(), era: 'legacy' });
    const modern = await captureSnapshot({ server: 'notes-v1', proxy: through(), era: 'modern' });
    expect(modern.era).toBe('modern');
    expect(modern.protocolVersion).toBe('2026-07-28');
    expect(modern.tools).toEqual(legacy.tools);
    expect(modern.prompts).toEqual(legacy.prompts);
    // Only the protocol version differs between the eras' snapshots, and that is cosmetic.
    expect(diffSnapshots(legacy, modern).changes.map((change) => change.kind)).toEqual(['cosmetic']);
  }, 30_000);

  it('v1 → v2 yields exactly the expected classified changes, in either era', async () => {
    for (const era of ['legacy', 'modern'] as const) {
      const before = await captureSnapshot({ server: 'notes-v1', proxy: through(), era });
      const after = await captureSnapshot({ server: 'notes-v2', proxy: through(), era });
      const diff = diffSnapshots(before, after);
      expect(diff.changes.map(describeChange), era).toEqual(EXPECTED_V1_TO_V2);
      expect(diff.counts).toEqual({ breaking: 4, additive: 1, cosmetic: 2 });
      expect(diff.changes[2]).toMatchObject({ path: '/tools/set-priority/inputSchema/properties/level/type', before: 'number', after: 'integer' });
    }
  }, 60_000);

  it('follows nextCursor through every page', async () => {
    const snapshot = await captureSnapshot({ server: 'paged', proxy: through(), era: 'legacy' });
    expect(snapshot.resources).toHaveLength(27);
    expect(snapshot.resources.at(-1)).toMatchObject({ uri: 'fixture://numbers/25' });
  }, 30_000);

  it('a server that cannot start is a SnapshotError saying so', async () => {
    const failure = await captureSnapshot({ server: 'missing', proxy: through(), era: 'legacy', requestTimeoutMs: 10_000 }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(SnapshotError);
    expect((failure as Error).message).toMatch(/^could not connect to "missing": /);
  }, 30_000);
});
