import { pathToFileURL } from 'node:url';
import { net, protocol } from 'electron';
import { rendererCsp } from '../services/renderer-csp';
import { APP_SCHEME, resolveAppFile } from './app-origin';

/** Must run before the app is ready: app:// behaves like https (origin, fetch, secure context). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

/**
 * Serves the built renderer under app://patchbay/, with the strict CSP naming the proxy's port; anything outside
 * the folder is a 404. Call it once the proxy listens.
 */
export function serveRendererFolder(rendererFolder: string, proxyPort: number, appSandboxOrigin: string): void {
  const csp = rendererCsp(proxyPort, appSandboxOrigin);
  protocol.handle(APP_SCHEME, async (request) => {
    const file = resolveAppFile(request.url, rendererFolder);
    if (!file) return new Response('Not found', { status: 404 });
    const response = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(response.headers);
    headers.set('Content-Security-Policy', csp);
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(response.body, { status: response.status, headers });
  });
}
