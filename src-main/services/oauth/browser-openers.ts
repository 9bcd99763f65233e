import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import { readCappedBody } from '../proxy/read-capped-body';

/**
 * Opens an authorization URL for the person to sign in: the desktop shell passes shell.openExternal; web mode has
 * none (the page opens `authorizationUrl` from the auth state); serve prints it. A rejection fails the flow.
 */
export type OpenBrowser = (url: string) => void | Promise<void>;

/** Hops a headless opener follows before it gives up. */
const MAX_REDIRECTS = 15;

/**
 * An opener for when no person is there (the conformance suite, tests, an authorization server that approves at
 * once): it GETs the authorization URL and follows the redirects, keeping cookies per origin as a browser would,
 * until one reaches the loopback receiver (whose page ends it). A page that does not redirect (a login form, an
 * error) fails the flow with its status and the start of its text.
 */
export function headlessOpener(fetchFn: FetchLike = fetch): OpenBrowser {
  return async (start) => {
    const cookies = new Map<string, Map<string, string>>();
    let url = new URL(start);
    // Where the authorization server is to send the browser back: reaching it ends the walk. An authorization
    // server on a loopback address of its own (a test's) shows its sign-in page there, which is no arrival.
    const redirectUri = url.searchParams.get('redirect_uri');
    const receiver = redirectUri !== null && URL.canParse(redirectUri) ? new URL(redirectUri) : undefined;
    const arrived = (at: URL): boolean => (receiver ? at.origin === receiver.origin && at.pathname === receiver.pathname : isLoopback(at));
    for (let hop = 0; hop <= MAX_REDIRECTS; hop += 1) {
      const jar = cookies.get(url.origin);
      const headers: Record<string, string> = { accept: 'text/html,application/json;q=0.9,*/*;q=0.8' };
      if (jar && jar.size > 0) headers.cookie = [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
      const response = await fetchFn(url, { method: 'GET', headers, redirect: 'manual' });
      for (const line of response.headers.getSetCookie()) {
        const [pair] = line.split(';');
        const at = pair?.indexOf('=') ?? -1;
        if (!pair || at <= 0) continue;
        const origin = cookies.get(url.origin) ?? new Map<string, string>();
        origin.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
        cookies.set(url.origin, origin);
      }
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        await response.body?.cancel().catch(() => undefined);
        url = new URL(location, url);
        continue;
      }
      const text = (await readCappedBody(response, 4096)).replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
      if (arrived(url)) return;
      throw new Error(`the authorization endpoint answered HTTP ${response.status} at ${url.origin}${url.pathname} without redirecting back${text ? `: ${text.slice(0, 300)}` : ''} (a headless sign-in needs an authorization server that approves without a person)`);
    }
    throw new Error(`the authorization endpoint redirected more than ${MAX_REDIRECTS} times without reaching Patchbay's loopback address`);
  };
}

/** An opener that prints the URL for a person to open (headless serve): the flow then waits for the redirect. */
export function printingOpener(write: (line: string) => void): OpenBrowser {
  return (url) => write(`open this URL in a browser to sign in: ${url}`);
}

function isLoopback(url: URL): boolean {
  return url.hostname === '127.0.0.1' || url.hostname === '[::1]' || url.hostname === 'localhost';
}
