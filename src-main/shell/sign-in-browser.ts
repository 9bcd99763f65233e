/**
 * The desktop app's way to show an authorization server's sign-in page: the system browser (the person's own, with
 * their sessions and password manager; RFC 8252 §8.12 asks native apps not to use an embedded view). Only http and
 * https URLs go to `shell.openExternal`: the URL comes from the authorization server's metadata, and any other scheme
 * would start whatever handler the OS has for it.
 */
export function signInOpener(openExternal: (url: string) => Promise<void>): (url: string) => Promise<void> {
  return async (url) => {
    const parsed = URL.canParse(url) ? new URL(url) : undefined;
    if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) {
      throw new Error(`the authorization URL is not an http(s) URL, so Patchbay does not open it: ${url.slice(0, 200)}`);
    }
    await openExternal(parsed.href);
  };
}
