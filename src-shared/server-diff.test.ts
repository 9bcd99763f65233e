import { describe, expect, it } from 'vitest';
import { describeChange, describeCounts, diffSnapshots } from './server-diff';
import { parseServerSnapshot, SNAPSHOT_FORMAT, SnapshotFormatError, type ServerSnapshot } from './server-snapshot';

function snapshot(overrides: Partial<ServerSnapshot> = {}): ServerSnapshot {
  return {
    format: SNAPSHOT_FORMAT,
    version: 1,
    id: 'snap-1',
    takenAt: 0,
    server: 'notes',
    serverInfo: { name: 'notes-server', version: '1.0.0' },
    protocolVersion: '2025-11-25',
    era: 'legacy',
    capabilities: { tools: { listChanged: true }, resources: { subscribe: true }, prompts: {} },
    tools: [
      { name: 'add', description: 'Adds', inputSchema: { type: 'object', properties: { a: { type: 'number' } }, required: ['a'] }, annotations: { readOnlyHint: true } },
      { name: 'drop', inputSchema: { type: 'object' }, annotations: { readOnlyHint: false, destructiveHint: false } },
    ],
    resources: [{ uri: 'notes://all', name: 'all', mimeType: 'application/json' }],
    resourceTemplates: [{ uriTemplate: 'notes://{id}', name: 'note' }],
    prompts: [{ name: 'summarize', arguments: [{ name: 'topic', required: true }] }],
    ...overrides,
  };
}

const lines = (before: ServerSnapshot, after: ServerSnapshot) => diffSnapshots(before, after).changes.map(describeChange);

describe('diffSnapshots', () => {
  it('finds nothing between a snapshot and itself', () => {
    const diff = diffSnapshots(snapshot(), snapshot({ id: 'snap-2', takenAt: 5 }));
    expect(diff.changes).toEqual([]);
    expect(describeCounts(diff.counts)).toBe('0 changes: 0 breaking, 0 additive, 0 cosmetic');
  });

  it('a tool removed is breaking, one added additive, a description cosmetic, breaking listed first', () => {
    const before = snapshot();
    const after = snapshot({
      tools: [
        { name: 'add', description: 'Adds two numbers', inputSchema: before.tools[0]!.inputSchema, annotations: { readOnlyHint: true } },
        { name: 'list', inputSchema: { type: 'object' } },
      ],
    });
    const diff = diffSnapshots(before, after);
    expect(diff.changes.map(describeChange)).toEqual([
      'BREAKING  tool "drop" removed',
      'ADDITIVE  tool "list" added',
      'COSMETIC  tool "add": description changed',
    ]);
    expect(diff.changes[0]).toMatchObject({ subject: 'tool', name: 'drop', path: '/tools/drop' });
    expect(diff.changes[2]).toMatchObject({ path: '/tools/add/description', before: 'Adds', after: 'Adds two numbers' });
    expect(diff.counts).toEqual({ breaking: 1, additive: 1, cosmetic: 1 });
  });

  it('schema changes carry the path into the snapshot and the tool in the sentence', () => {
    const before = snapshot();
    const after = snapshot({ tools: [{ ...before.tools[0]!, inputSchema: { type: 'object', properties: { a: { type: 'integer' }, b: { type: 'number' } }, required: ['a', 'b'] } }, before.tools[1]!] });
    expect(diffSnapshots(before, after).changes.map((change) => [change.path, change.summary])).toEqual([
      ['/tools/add/inputSchema/properties/a/type', 'tool "add": type of argument "a" narrowed: number → integer'],
      ['/tools/add/inputSchema/properties/b', 'tool "add": required argument "b" added'],
    ]);
  });

  it('an output schema dropped is breaking, one declared additive', () => {
    const withOutput = snapshot({ tools: [{ name: 'add', inputSchema: { type: 'object' }, outputSchema: { type: 'object', properties: { sum: { type: 'number' } }, required: ['sum'] } }] });
    const without = snapshot({ tools: [{ name: 'add', inputSchema: { type: 'object' } }] });
    expect(lines(withOutput, without)).toEqual(['BREAKING  tool "add" no longer declares an output schema (its structured output is no longer promised)']);
    expect(lines(without, withOutput)).toEqual(['ADDITIVE  tool "add" now declares an output schema']);
  });

  it('annotations: riskier is breaking, safer additive, defaults taken into account', () => {
    const before = snapshot();
    const after = snapshot({
      tools: [
        { ...before.tools[0]!, annotations: {} },
        { ...before.tools[1]!, annotations: { readOnlyHint: false, idempotentHint: true } },
      ],
    });
    expect(lines(before, after)).toEqual([
      'BREAKING  tool "add" is no longer read-only (readOnlyHint true → false)',
      'BREAKING  tool "drop" is now destructive (destructiveHint false → true)',
      'ADDITIVE  tool "drop" is now idempotent (idempotentHint false → true)',
    ]);
  });

  it('prompts: a required argument added or made required is breaking, an optional one additive', () => {
    const after = snapshot({ prompts: [{ name: 'summarize', arguments: [{ name: 'topic', required: true }, { name: 'tone' }, { name: 'length', required: true }] }] });
    expect(lines(snapshot(), after)).toEqual(['BREAKING  prompt "summarize": required argument "length" added', 'ADDITIVE  prompt "summarize": optional argument "tone" added']);
    const optional = snapshot({ prompts: [{ name: 'summarize', arguments: [{ name: 'topic' }] }] });
    expect(lines(optional, snapshot())).toEqual(['BREAKING  prompt "summarize": argument "topic" is now required']);
    expect(lines(snapshot(), snapshot({ prompts: [] }))).toEqual(['BREAKING  prompt "summarize" removed']);
  });

  it('resources and templates: removed breaking, added additive, a MIME type changed breaking', () => {
    const after = snapshot({ resources: [{ uri: 'notes://all', name: 'all', mimeType: 'text/plain' }, { uri: 'notes://new', name: 'new' }], resourceTemplates: [] });
    expect(lines(snapshot(), after)).toEqual([
      'BREAKING  resource notes://all: MIME type changed: "application/json" → "text/plain"',
      'BREAKING  resource template notes://{id} removed',
      'ADDITIVE  resource notes://new added',
    ]);
  });

  it('the server: a capability removed is breaking, added additive; version and instructions cosmetic', () => {
    const after = snapshot({ serverInfo: { name: 'notes-server', version: '2.0.0' }, instructions: 'Use add.', capabilities: { tools: { listChanged: true }, prompts: {}, logging: {} } });
    expect(lines(snapshot(), after)).toEqual([
      'BREAKING  capability "resources" removed',
      'ADDITIVE  capability "logging" added',
      'COSMETIC  server version changed: "1.0.0" → "2.0.0"',
      'COSMETIC  server instructions added',
    ]);
    expect(lines(snapshot(), snapshot({ capabilities: { tools: {}, resources: { subscribe: true }, prompts: {} } }))).toEqual(['BREAKING  capability "tools.listChanged" removed']);
  });

  it('an app tool hidden from the model is breaking', () => {
    const before = snapshot({ tools: [{ name: 'counter', inputSchema: { type: 'object' }, ui: { resourceUri: 'ui://a' } }] });
    const after = snapshot({ tools: [{ name: 'counter', inputSchema: { type: 'object' }, ui: { resourceUri: 'ui://a', visibility: ['app'] } }] });
    expect(diffSnapshots(before, after).changes.map((change) => change.kind)).toEqual(['breaking']);
  });
});

describe('parseServerSnapshot', () => {
  it('reads a snapshot back', () => {
    expect(parseServerSnapshot(JSON.stringify(snapshot()), 'a.json').tools).toHaveLength(2);
  });

  it('answers a bad file with a sentence naming what is wrong', () => {
    expect(() => parseServerSnapshot('{', 'a.json')).toThrow(/^a\.json is not valid JSON/);
    expect(() => parseServerSnapshot('{"format":"x"}', 'a.json')).toThrow(`a.json is not a readable server snapshot: format: not a Patchbay server snapshot (its "format" is not "${SNAPSHOT_FORMAT}")`);
    expect(() => parseServerSnapshot(JSON.stringify({ ...snapshot(), version: 9 }), 'a.json')).toThrow('version: written by a newer Patchbay (format version above 1); update Patchbay to read it');
    expect(() => parseServerSnapshot(JSON.stringify({ ...snapshot(), tools: [{ name: 'x' }] }), 'a.json')).toThrow(/tools\[0\]\.inputSchema/);
    expect(() => parseServerSnapshot('[]', 'a.json')).toThrow(SnapshotFormatError);
  });
});
