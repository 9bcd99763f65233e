import type express from 'express';
import type { ApiEventName, ConnectionInfo } from '../../src-shared/api-contract';
import { DEFAULT_IDLE_TIMEOUT_SECONDS } from '../../src-shared/settings';
import { createApiHandlers, forRenderer, type ApiHandlers } from './api/api-handlers';
import { outdatedServers } from './catalog/catalog-changes';
import { CatalogStore } from './catalog/catalog-store';
import { ConfigWatchService } from './config-watch/config-watch-service';
import type { SecretCodec } from './catalog/secret-codec';
import { InputAnswerStore } from './inputs/input-answers';
import { ChildRecord, describeOrphans, type OrphanReport } from './proxy/child-record';
import type { FinderContext } from './config-finder';
import { startProxy, type RunningProxy } from './proxy/proxy-server';
import { SettingsStore } from './settings/settings-store';
import { StressService } from './stress/stress-service';
import { RecordingService } from './recording/recording-service';
import { SnapshotService } from './snapshot/snapshot-service';
import type { StressProgress } from '../../src-shared/stress';
import { startAppSandboxHost, type AppSandboxHost } from './apps/sandbox-host';
import { emitAuthStates, startOAuth, type OAuthService, type OpenBrowser, type SignInPolicy } from './oauth';

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
  /** Told of problems that do not stop the services (the record of running children could not be written). */
  onWarning?: (message: string) => void;
  /** Where "Find my configs" looks; this machine's by default (web mode may point it at a fake home). */
  finderContext?: FinderContext;
  /**
   * OAuth for remote servers: how the authorization URL is opened (the desktop shell's shell.openExternal; absent in
   * web mode, where the page opens it from the auth state) and the policy (`ask` by default: the user presses Sign in).
   */
  oauth?: { openBrowser?: OpenBrowser; policy?: SignInPolicy };
}

/** The running services: catalog, proxy and the api handlers over them. */
export interface AppServices {
  catalog: CatalogStore;
  proxy: RunningProxy;
  handlers: ApiHandlers;
  /** Stress runs through the proxy, and the saved ones. */
  stress: StressService;
  /** The OAuth engine: auth states, sign-in flows, tokens (services/oauth). */
  oauth: OAuthService;
  /** MCP Apps' documents, served from an origin of their own (services/apps). */
  appSandbox: AppSandboxHost;
  /** What the start found of server processes left running by an earlier run that crashed (and ended). */
  orphans: OrphanReport;
  /** Subscribes to the api's events (lifecycle, catalog); returns the unsubscribe function. */
  subscribe(listener: (name: ApiEventName, payload: unknown) => void): () => void;
  /** Closes every session, ends every child and stops the proxy. Safe to call repeatedly. */
  close(): Promise<void>;
}

/** Starts the catalog and the proxy and builds the api handlers: everything a host needs besides its own glue. */
export async function startAppServices(options: AppServicesOptions): Promise<AppServices> {
  const catalog = await CatalogStore.openIn(options.dataDir, options.secretCodec);
  // Answers to VS Code inputs: remembered ones sealed with the same codec as the catalog's secrets.
  const inputAnswers = await InputAnswerStore.openIn(options.dataDir, options.secretCodec);
  if (inputAnswers.problem) options.onWarning?.(inputAnswers.problem);
  const settings = await SettingsStore.openIn(options.dataDir);
  if (settings.problem) options.onWarning?.(settings.problem);
  // A host's explicit option (a command-line flag) wins over the saved setting, which wins over the default.
  const idleTimeoutSeconds = (): number => settings.get().idleTimeoutSeconds ?? DEFAULT_IDLE_TIMEOUT_SECONDS;
  const idleTimeoutMs = options.idleTimeoutMs ?? Math.round(idleTimeoutSeconds() * 1000);
  // Before anything spawns: end the children a crashed run left, then record ours from the first one on.
  const { record: children, report: orphans } = await ChildRecord.open(options.dataDir, options.onWarning);
  // Tokens sealed with the same codec as the catalog's secrets (in memory only without one).
  const oauth = await startOAuth({
    dataDir: options.dataDir,
    codec: options.secretCodec,
    catalog: { get: (name) => catalog.get(name) },
    policy: options.oauth?.policy ?? 'ask',
    openBrowser: options.oauth?.openBrowser,
  });
  if (oauth.problem) options.onWarning?.(oauth.problem);
  // MCP Apps' documents: their own listener, so their origin is never Patchbay's (see services/apps/README.md).
  const appSandbox = await startAppSandboxHost();
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
    idleTimeoutMs,
    publicRoutes: options.publicRoutes,
    privateRoutes: options.privateRoutes && ((app) => options.privateRoutes!(app, ready)),
    session: { childTracker: children, remoteAuth: oauth.remoteAuth },
    inputAnswers,
  });
  emitAuthStates(oauth.service, proxy.bus);
  // Only Patchbay's own pages may frame an app: web mode's page on the proxy's port, the desktop app's app:// origin.
  appSandbox.allowEmbedders([new URL(proxy.url).origin, ...(options.allowedOrigins ?? [])]);
  // A session runs on the entry it was started from: when that entry is removed, renamed, disabled or edited
  // (through the api, an import, any host), its sessions close with the reason, and their children end.
  let catalogBefore = catalog.list();
  catalog.onChange((next) => {
    for (const { server, reason, detail } of outdatedServers(catalogBefore, next)) {
      void proxy.sessions.closeSessionsOf(server, reason, detail);
      // Its modern requests' shared child ran on that entry too.
      void proxy.modern.closeServer(server, detail);
      // Answers belong to the server as it was: a removed or changed one is asked again.
      if (reason === 'server-removed') void inputAnswers.forget(server).catch((error: unknown) => options.onWarning?.(`the remembered inputs of "${server}" could not be forgotten: ${String(error)}`));
      // A removed (or renamed) server's sign-in goes with it: its tokens are never offered to another entry.
      if (reason === 'server-removed') void oauth.service.forget(server).catch((error: unknown) => options.onWarning?.(`the sign-in of "${server}" could not be forgotten: ${String(error)}`));
    }
    catalogBefore = next;
  });
  // Files the user asked to keep in sync. A change is only held for review: the renderer asks for it
  // (watchedConfigs) and applies or declines it; nothing is applied from here.
  const configWatch = await ConfigWatchService.open(options.dataDir, catalog, () => undefined);
  // Stress runs go through this proxy like any client; their progress is an api event of its own.
  const stressListeners = new Set<(progress: StressProgress) => void>();
  const stress = await StressService.open({
    dataDir: options.dataDir,
    proxy: () => ({ url: proxy.url, token: proxy.token ?? undefined }),
    hasServer: (name) => catalog.get(name) !== undefined,
    onProgress: (progress) => {
      for (const listener of stressListeners) listener(progress);
    },
  });
  // Recordings listen to this proxy's events; replays go through it like any client.
  const recordings = await RecordingService.open({
    dataDir: options.dataDir,
    proxy: () => ({ url: proxy.url, token: proxy.token, bus: proxy.bus }),
    entryOf: (name) => catalog.get(name),
  });
  // Snapshots are taken through this proxy like any client.
  const snapshots = await SnapshotService.open({ dataDir: options.dataDir, proxy: () => ({ url: proxy.url, token: proxy.token }), entryOf: (name) => catalog.get(name) });
  let currentIdleMs = idleTimeoutMs;
  const handlers = createApiHandlers({ catalog, proxy, host: options.host, onHello: options.onHello, startupNotices: orphanNotices(orphans),
    finderContext: options.finderContext,
    configWatch,
    inputAnswers,
    stress,
    recordings,
    snapshots,
    auth: oauth.service,
    appSandbox,
    settings: {
      get: () => ({ idleTimeoutSeconds: currentIdleMs / 1000 }),
      update: async (change) => {
        await settings.update(change);
        // Applied at once: the reaper restarts with the new time (0 stops it).
        if (change.idleTimeoutSeconds !== undefined) {
          currentIdleMs = Math.round(idleTimeoutSeconds() * 1000);
          proxy.sessions.startIdleReaper(currentIdleMs);
          proxy.modern.startIdleReaper(currentIdleMs);
        }
        return { idleTimeoutSeconds: currentIdleMs / 1000 };
      },
    },
  });
  const services: AppServices = {
    catalog,
    proxy,
    handlers,
    stress,
    oauth: oauth.service,
    appSandbox,
    subscribe(listener) {
      const stopLifecycle = proxy.bus.subscribe((event) => listener('lifecycle', event));
      const stopCatalog = catalog.onChange((entries) => listener('catalog', forRenderer(entries)));
      const onStress = (progress: StressProgress): void => listener('stress', progress);
      stressListeners.add(onStress);
      return () => {
        stopLifecycle();
        stopCatalog();
        stressListeners.delete(onStress);
      };
    },
    orphans,
    close: async () => {
      configWatch.close();
      // Runs first, while the proxy still answers their cancels and DELETEs.
      await stress.close();
      // Recordings under way are saved before the proxy stops.
      for (const problem of await recordings.close()) options.onWarning?.(problem);
      oauth.service.close();
      await proxy.close();
      await appSandbox.close();
      await children.close();
    },
  };
  started.services = services;
  return services;
}

/** The notices the renderer shows once after start: server processes a crashed run left, now ended. */
function orphanNotices(report: OrphanReport): string[] {
  const sentence = describeOrphans(report);
  return sentence ? [sentence] : [];
}
