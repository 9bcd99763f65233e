import { describe, expect, it } from 'vitest';
import { takeToken, type TokenEnvironment } from './token';

function fakeEnv(hash: string, stored?: string) {
  const store = new Map<string, string>(stored ? [['patchbay.token', stored]] : []);
  const urls: string[] = [];
  const env: TokenEnvironment = {
    location: { hash, pathname: '/', search: '?x=1' },
    history: { state: null, replaceState: (_state: unknown, _title: string, url?: string | URL | null) => void urls.push(String(url)) },
    storage: { getItem: (key) => store.get(key) ?? null, setItem: (key, value) => void store.set(key, value) },
  };
  return { env, store, urls };
}

describe('takeToken', () => {
  it('moves the token from the hash into session storage and out of the URL', () => {
    const { env, store, urls } = fakeEnv('#token=abc-123');
    expect(takeToken(env)).toBe('abc-123');
    expect(store.get('patchbay.token')).toBe('abc-123');
    expect(urls).toEqual(['/?x=1']);
  });

  it('keeps other hash parameters', () => {
    const { env, urls } = fakeEnv('#token=t&view=tools');
    expect(takeToken(env)).toBe('t');
    expect(urls).toEqual(['/?x=1#view=tools']);
  });

  it('finds the stored token after a reload', () => {
    const { env, urls } = fakeEnv('', 'saved');
    expect(takeToken(env)).toBe('saved');
    expect(urls).toEqual([]);
  });

  it('says when there is no token at all', () => {
    expect(takeToken(fakeEnv('').env)).toBeUndefined();
  });
});
