import { describe, expect, it } from 'vitest';
import { appendCapped, levelSeverity, toLogEntry } from './log-model';
import { appendPage, firstPage } from './paged-list';
import { expandTemplate, missingVariables, templateVariables } from './uri-template';

describe('paged lists', () => {
  const key = (item: { uri: string }) => item.uri;

  it('follows cursors, replacing repeated items instead of duplicating them', () => {
    let list = firstPage([{ uri: 'a' }, { uri: 'b' }], '2');
    list = appendPage(list, [{ uri: 'b' }, { uri: 'c' }], '4', key);
    expect(list).toEqual({ items: [{ uri: 'a' }, { uri: 'b' }, { uri: 'c' }], nextCursor: '4' });
    expect(appendPage(list, [{ uri: 'd' }], undefined, key)).toEqual({ items: [{ uri: 'a' }, { uri: 'b' }, { uri: 'c' }, { uri: 'd' }], nextCursor: undefined });
  });

  it('ends a list whose server repeats the cursor, and treats an empty cursor as the end', () => {
    expect(appendPage(firstPage([{ uri: 'a' }], 'x'), [{ uri: 'a' }], 'x', key).nextCursor).toBeUndefined();
    expect(firstPage([], '').nextCursor).toBeUndefined();
  });
});

describe('log entries', () => {
  it('keep strings as they are and other data as JSON', () => {
    expect(toLogEntry({ level: 'info', logger: 'fixture', data: 'log 1' }, 5)).toMatchObject({ at: 5, level: 'info', logger: 'fixture', text: 'log 1' });
    expect(toLogEntry({ level: 'error', data: { code: 3 } }, 5).text).toBe('{"code":3}');
    expect(toLogEntry({ level: 'debug' }, 5).text).toBe('undefined');
  });

  it('keep the newest entries only', () => {
    expect(appendCapped([1, 2, 3], [4, 5], 3)).toEqual([3, 4, 5]);
    expect(appendCapped([], [1], 3)).toEqual([1]);
  });

  it('rank levels', () => {
    expect(levelSeverity('debug')).toBe(0);
    expect(levelSeverity('emergency')).toBe(7);
  });
});

describe('URI templates', () => {
  it('list variables once, in order, for every operator', () => {
    expect(templateVariables('fixture://items/{id}')).toEqual(['id']);
    expect(templateVariables('search{?q,limit}')).toEqual(['q', 'limit']);
    expect(templateVariables('file:///{+path}{#frag}/{path}')).toEqual(['path', 'frag']);
    expect(templateVariables('fixture://plain')).toEqual([]);
    expect(templateVariables('broken{')).toEqual([]);
  });

  it('expand values with escaping, leaving unset ones out', () => {
    expect(expandTemplate('fixture://items/{id}', { id: '42' })).toBe('fixture://items/42');
    expect(expandTemplate('fixture://items/{id}', { id: 'a b' })).toBe('fixture://items/a%20b');
    expect(expandTemplate('search{?q,limit}', { q: 'x', limit: '' })).toBe('search?q=x');
    expect(missingVariables('search{?q,limit}', { q: 'x', limit: ' ' })).toEqual(['limit']);
  });
});
