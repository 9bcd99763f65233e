import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { ServerEntry } from '../../../src-shared/catalog';
import { authChannelId } from '../../../src-shared/oauth';
import type { SecretCodec } from '../catalog/secret-codec';
import type { EventBus } from '../proxy/event-bus';
import type { RemoteAuth } from '../proxy/remote-auth';
import { authorizedFetch } from './auth-fetch';
import type { OpenBrowser } from './browser-openers';
import { OAuthService, type SignInPolicy } from './oauth-service';
import { TokenStore } from './token-store';

export { headlessOpener, printingOpener, type OpenBrowser } from './browser-openers';
export { OAuthService, type SignInPolicy } from './oauth-service';
export { TokenStore } from './token-store';

export interface OAuthOptions {
  /** The data folder: `oauth-tokens.json` is kept there when there is a codec. */
  dataDir?: string;
  /** Seals tokens at rest (the desktop app's keychain); without one they live in memory until Patchbay stops. */
  codec?: SecretCodec;
  catalog: { get(name: string): ServerEntry | undefined };
  policy: SignInPolicy;
  openBrowser?: OpenBrowser;
  fetchFn?: FetchLike;
  browserTimeoutMs?: number;
}

/** The engine of a host, and what its proxy is given (`session.remoteAuth`). */
export interface OAuthEngine {
  service: OAuthService;
  remoteAuth: RemoteAuth;
  /** What could not be read of the saved sign-ins (never a value). */
  problem?: string;
}

/** Opens the token store and starts the engine. */
export async function startOAuth(options: OAuthOptions): Promise<OAuthEngine> {
  const store = await TokenStore.openIn(options.dataDir, options.codec);
  const service = new OAuthService({
    store,
    catalog: options.catalog,
    policy: options.policy,
    openBrowser: options.openBrowser,
    fetchFn: options.fetchFn,
    browserTimeoutMs: options.browserTimeoutMs,
  });
  return {
    service,
    remoteAuth: { wrapFetch: (server, entry, fetch) => authorizedFetch(service, server, entry, fetch), signInDetail: (server) => service.signInDetail(server) },
    problem: store.problem,
  };
}

/** Every auth state change becomes an `auth-state` lifecycle event on the bus (IPC, the web bridge, /api/events). */
export function emitAuthStates(service: OAuthService, bus: EventBus): void {
  service.onStateChange((state) => bus.emit({ type: 'auth-state', sessionId: authChannelId(state.serverId), server: state.serverId, state }));
}
