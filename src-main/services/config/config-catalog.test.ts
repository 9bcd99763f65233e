import { describe, expect, it } from 'vitest';
import type { ServerEntry } from '../../../src-shared/catalog';
import { createStaticCatalog } from './config-catalog';

describe('createStaticCatalog', () => {
  it('lists entries in order and finds them by name, disabled ones included', () => {
    const entries: ServerEntry[] = [
      { name: 'a', transport: 'stdio', command: 'node', args: [], env: {} },
      { name: 'b', transport: 'sse', url: 'http://localhost:1/sse', headers: {}, disabled: true },
    ];
    const catalog = createStaticCatalog(entries);
    expect(catalog.list()).toEqual(entries);
    expect(catalog.get('b')).toBe(entries[1]);
    expect(catalog.get('missing')).toBeUndefined();
  });
});
