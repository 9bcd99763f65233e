/**
 * The renderer's one Content-Security-Policy, sent as a header by whichever host serves the page (the app's
 * app:// protocol, web mode's static server). Code and styles from the page's own origin only; network access to
 * the proxy's own port and nowhere else: the proxy itself at 127.0.0.1, and each server's connections under a host
 * of their own in *.localhost (see the renderer's proxy driver), all on that one port.
 *
 * Workers: PDF resources are drawn by pdf.js, whose parser runs in a module worker bundled with the app, loaded by
 * URL from the page's own origin. worker-src says so explicitly ('self' only): no blob: or data: workers, so no
 * script can start a worker from bytes it made, and no eval or WebAssembly in script-src (pdf.js runs without both).
 *
 * Frames: only the MCP Apps sandbox origin (another port on 127.0.0.1), never the page's own origin.
 */
export function rendererCsp(proxyPort: number, appSandboxOrigin?: string): string {
  if (!Number.isInteger(proxyPort) || proxyPort <= 0 || proxyPort > 65_535) throw new Error(`the renderer's CSP needs the proxy's port, not ${proxyPort}`);
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "media-src 'self' data: blob:",
    "worker-src 'self'",
    `connect-src 'self' http://127.0.0.1:${proxyPort} http://*.localhost:${proxyPort}`,
    // Frames: MCP Apps' documents, from the sandbox host's origin only (services/apps); no app page, no other site.
    `frame-src ${appSandboxOrigin ?? "'none'"}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
