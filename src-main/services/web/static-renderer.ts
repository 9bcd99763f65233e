import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express from 'express';
import { rendererCsp } from '../renderer-csp';

/** Serves the built renderer (out/renderer) with a strict CSP; throws if it has not been built. */
export function mountStaticRenderer(app: express.Express, rendererFolder: string, appSandboxOrigin?: () => string | undefined): void {
  if (!existsSync(join(rendererFolder, 'index.html'))) {
    throw new Error(`the renderer is not built: ${join(rendererFolder, 'index.html')} is missing (run npm run build)`);
  }
  app.use((req, res, next) => {
    // The page and the proxy share this server, so the port the request came in on is the proxy's.
    res.setHeader('Content-Security-Policy', rendererCsp(req.socket.localPort!, appSandboxOrigin?.()));
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    next();
  });
  app.use(express.static(rendererFolder, { index: 'index.html', fallthrough: true }));
}
