import { describe, expect, it } from 'vitest';
import { draftsFromRoots, rootsFromDrafts, sameRoots } from './roots-model';

describe('roots', () => {
  it('turns rows into roots, skipping blank rows and empty names', () => {
    expect(
      rootsFromDrafts([
        { uri: ' file:///work ', name: 'Work' },
        { uri: '', name: '' },
        { uri: 'file:///tmp', name: ' ' },
      ]),
    ).toEqual({ roots: [{ uri: 'file:///work', name: 'Work' }, { uri: 'file:///tmp' }] });
  });

  it('reports rows without a URI, with another scheme, or repeated', () => {
    expect(
      rootsFromDrafts([
        { uri: '', name: 'Nameless' },
        { uri: 'https://example.com', name: '' },
        { uri: 'file:///a', name: '' },
        { uri: 'file:///a', name: 'again' },
      ]),
    ).toEqual({
      problems: [
        { index: 0, message: 'A root needs a URI' },
        { index: 1, message: 'Root URIs must start with file://' },
        { index: 3, message: 'This URI is listed twice' },
      ],
    });
  });

  it('round-trips and compares lists', () => {
    const roots = [{ uri: 'file:///a', name: 'A' }, { uri: 'file:///b' }];
    expect(draftsFromRoots(roots)).toEqual([
      { uri: 'file:///a', name: 'A' },
      { uri: 'file:///b', name: '' },
    ]);
    expect(sameRoots(roots, [{ uri: 'file:///a', name: 'A' }, { uri: 'file:///b', name: '' }])).toBe(true);
    expect(sameRoots(roots, [{ uri: 'file:///a' }])).toBe(false);
  });
});
