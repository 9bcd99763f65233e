import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express from 'express';

/** The renderer's Content-Security-Policy: same-origin code, the proxy on loopback, nothing else. */
export const RENDERER_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "media-src 'self' data: blob:",
  // Each server's connections use a host of their own under *.localhost (see the renderer's proxy driver).
  "connect-src 'self' http://127.0.0.1:* http://localhost:* http://*.localhost:*",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Serves the built renderer (out/renderer) with a strict CSP; throws if it has not been built. */
export function mountStaticRenderer(app: express.Express, rendererFolder: string): void {
  if (!existsSync(join(rendererFolder, 'index.html'))) {
    throw new Error(`the renderer is not built: ${join(rendererFolder, 'index.html')} is missing (run npm run build)`);
  }
  app.use((_req, res, next) => {
    res.setHeader('Content-Security-Policy', RENDERER_CSP);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    next();
  });
  app.use(express.static(rendererFolder, { index: 'index.html', fallthrough: true }));
}
