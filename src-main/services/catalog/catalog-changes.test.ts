import { describe, expect, it } from 'vitest';
import type { ServerEntry } from '../../../src-shared/catalog';
import { outdatedServers } from './catalog-changes';

const a: ServerEntry = { name: 'a', transport: 'stdio', command: 'node', args: ['a.js'], env: { K: 'v' } };
const b: ServerEntry = { name: 'b', transport: 'streamable-http', url: 'https://example.com/mcp', headers: {} };

describe('outdatedServers', () => {
  it('names removed, renamed, disabled and edited servers, and nothing else', () => {
    expect(outdatedServers([a, b], [a, b])).toEqual([]);
    expect(outdatedServers([a, b], [b])).toEqual([{ server: 'a', reason: 'server-removed', detail: 'it was removed' }]);
    expect(outdatedServers([a, b], [{ ...a, name: 'a2' }, b])).toEqual([{ server: 'a', reason: 'server-removed', detail: 'it was renamed to "a2"' }]);
    expect(outdatedServers([a], [{ ...a, disabled: true }])).toEqual([{ server: 'a', reason: 'server-changed', detail: 'it was disabled' }]);
    expect(outdatedServers([a], [{ ...a, env: { K: 'w' } }])).toEqual([{ server: 'a', reason: 'server-changed', detail: 'it was edited; connect again to use the new settings' }]);
  });

  it('ignores key order and an explicit disabled: false', () => {
    const reordered = { env: { K: 'v' }, args: ['a.js'], command: 'node', transport: 'stdio', name: 'a', disabled: false } as ServerEntry;
    expect(outdatedServers([a], [reordered])).toEqual([]);
  });
});
