/**
 * The renderer's one Content-Security-Policy, sent as a header by whichever host serves the page (the app's
 * app:// protocol, web mode's static server). Code and styles from the page's own origin only; network access to
 * the proxy's own port and nowhere else: the proxy itself at 127.0.0.1, and each server's connections under a host
 * of their own in *.localhost (see the renderer's proxy driver), all on that one port.
 */
export function rendererCsp(proxyPort: number): string {
  if (!Number.isInteger(proxyPort) || proxyPort <= 0 || proxyPort > 65_535) throw new Error(`the renderer's CSP needs the proxy's port, not ${proxyPort}`);
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "media-src 'self' data: blob:",
    `connect-src 'self' http://127.0.0.1:${proxyPort} http://*.localhost:${proxyPort}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
