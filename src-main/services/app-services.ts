import type express from 'express';
import type { ApiEventName, ConnectionInfo } from '../../src-shared/api-contract';
import { createApiHandlers, forRenderer, type ApiHandlers } from './api/api-handlers';
import { outdatedServers } from './catalog/catalog-changes';
import { CatalogStore } from './catalog/catalog-store';
import type { SecretCodec } from './catalog/secret-codec';
import { startProxy, type RunningProxy } from './proxy/proxy-server';

/** Options of the services every host (Electron, web mode) runs. */
export interface AppServicesOptions {
  /** The app's data folder: the catalog lives here. */
  dataDir: string;
  host: ConnectionInfo['host'];
  /** Port of the proxy; 0 (the default) picks a free one. */
  port?: number;
  token?: string;
  /** Origins besides loopback pages allowed to call the proxy (the Electron renderer's app:// origin). */
  allowedOrigins?: string[];
  idleTimeoutMs?: number;
  /** Routes without the token (web mode's static renderer). */
  publicRoutes?: (app: express.Express) => void;
  /** Routes behind the token (web mode's bridge); they may use the services once started. */
  privateRoutes?: (app: express.Express, services: () => AppServices) => void;
  /** Seals secret values in the catalog file (the desktop app's keychain); without one they are stored as written. */
  secretCodec?: SecretCodec;
  /** Called when a window introduces itself with its owner id. */
  onHello?: (owner: string) => void;
}

/** The running services: catalog, proxy and the api handlers over them. */
export interface AppServices {
  catalog: CatalogStore;
  proxy: RunningProxy;
  handlers: ApiHandlers;
  /** Subscribes to the api's events (lifecycle, catalog); returns the unsubscribe function. */
  subscribe(listener: (name: ApiEventName, payload: unknown) => void): () => void;
  /** Closes every session, ends every child and stops the proxy. Safe to call repeatedly. */
  close(): Promise<void>;
}

/** Starts the catalog and the proxy and builds the api handlers: everything a host needs besides its own glue. */
export async function startAppServices(options: AppServicesOptions): Promise<AppServices> {
  const catalog = await CatalogStore.openIn(options.dataDir, options.secretCodec);
  // Routes are mounted while the proxy starts; they reach the services once these exist.
  const started: { services?: AppServices } = {};
  const ready = (): AppServices => {
    if (!started.services) throw new Error('the app services are still starting');
    return started.services;
  };
  const proxy = await startProxy({
    catalog: { list: () => catalog.list(), get: (name) => catalog.get(name) },
    port: options.port ?? 0,
    token: options.token,
    allowedOrigins: options.allowedOrigins,
    idleTimeoutMs: options.idleTimeoutMs,
    publicRoutes: options.publicRoutes,
    privateRoutes: options.privateRoutes && ((app) => options.privateRoutes!(app, ready)),
  });
  // A session runs on the entry it was started from: when that entry is removed, renamed, disabled or edited
  // (through the api, an import, any host), its sessions close with the reason, and their children end.
  let catalogBefore = catalog.list();
  catalog.onChange((next) => {
    for (const { server, reason, detail } of outdatedServers(catalogBefore, next)) void proxy.sessions.closeSessionsOf(server, reason, detail);
    catalogBefore = next;
  });
  const handlers = createApiHandlers({ catalog, proxy, host: options.host, onHello: options.onHello });
  const services: AppServices = {
    catalog,
    proxy,
    handlers,
    subscribe(listener) {
      const stopLifecycle = proxy.bus.subscribe((event) => listener('lifecycle', event));
      const stopCatalog = catalog.onChange((entries) => listener('catalog', forRenderer(entries)));
      return () => {
        stopLifecycle();
        stopCatalog();
      };
    },
    close: () => proxy.close(),
  };
  started.services = services;
  return services;
}
