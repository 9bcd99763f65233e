const STORAGE_KEY = 'patchbay.token';

/** The parts of the browser a token lookup touches, so tests can hand in fakes. */
export interface TokenEnvironment {
  location: Pick<Location, 'hash' | 'pathname' | 'search'>;
  history: Pick<History, 'replaceState' | 'state'>;
  storage: Pick<Storage, 'getItem' | 'setItem'>;
}

/**
 * Finds web mode's bearer token. `npm run web` prints a URL with `#token=…`; the token is moved into
 * sessionStorage and taken out of the visible URL (so it is not shown, bookmarked or shared), and a reload of
 * the same tab still finds it there. Returns undefined when the page was opened without one.
 */
export function takeToken(env: TokenEnvironment): string | undefined {
  const hash = env.location.hash.startsWith('#') ? env.location.hash.slice(1) : env.location.hash;
  const params = new URLSearchParams(hash);
  const fromHash = params.get('token');
  if (fromHash) {
    env.storage.setItem(STORAGE_KEY, fromHash);
    params.delete('token');
    const rest = params.toString();
    env.history.replaceState(env.history.state, '', `${env.location.pathname}${env.location.search}${rest ? `#${rest}` : ''}`);
    return fromHash;
  }
  return env.storage.getItem(STORAGE_KEY) ?? undefined;
}
