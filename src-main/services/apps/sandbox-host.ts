import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { appDocumentCsp, type OpenAppDocument, type OpenedAppDocument } from '../../../src-shared/apps';
import { isLoopbackHostHeader } from '../proxy/http-guards';
import { withViolationRelay } from './violation-relay';

/** The newest this many documents stay servable (an app reloaded or opened again gets a new one). */
const KEPT_DOCUMENTS = 32;

interface StoredDocument {
  html: string;
  csp: string;
}

/** The sandbox host: a listener of its own on 127.0.0.1, so apps' documents live in an origin apart from Patchbay's. */
export interface AppSandboxHost {
  /** `http://127.0.0.1:PORT`: the renderer's CSP lets frames come from here and nowhere else. */
  readonly origin: string;
  /** Who may frame the documents (frame-ancestors): Patchbay's own page origins, set once the proxy listens. */
  allowEmbedders(origins: readonly string[]): void;
  /** Stores an app's document under an unguessable id; its URL on the sandbox origin and the CSP it is served with. */
  open(document: OpenAppDocument): OpenedAppDocument;
  close(): Promise<void>;
}

/**
 * Starts the sandbox host. It serves nothing but the documents it was given, each with the CSP built from its own
 * declaration as a response header; it has no token, no api and no proxy, so an app that reaches it gets nothing.
 */
export async function startAppSandboxHost(): Promise<AppSandboxHost> {
  const documents = new Map<string, StoredDocument>();
  let embedders: readonly string[] = [];
  const app = express();
  app.disable('x-powered-by');
  app.get('/documents/:id', (req, res) => {
    // DNS rebinding: only a page that names loopback in Host reads a document.
    if (!isLoopbackHostHeader(req.headers.host)) return void res.status(403).type('text/plain').send('Forbidden: not a loopback Host');
    const stored = documents.get(req.params.id);
    if (!stored) return void res.status(404).type('text/plain').send('No such app document (reload the app)');
    res.setHeader('Content-Security-Policy', stored.csp);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    res.type('text/html; charset=utf-8').send(stored.html);
  });
  app.use((_req, res) => void res.status(404).type('text/plain').send('Not found'));
  const server: Server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    allowEmbedders(origins) {
      embedders = [...origins];
    },
    open(document) {
      const id = randomBytes(16).toString('hex');
      const csp = appDocumentCsp(document.meta.csp, embedders);
      documents.set(id, { html: withViolationRelay(document.html), csp });
      while (documents.size > KEPT_DOCUMENTS) documents.delete(documents.keys().next().value!);
      return { url: `${origin}/documents/${id}`, origin, csp };
    },
    close: () =>
      new Promise<void>((resolve) => {
        documents.clear();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
