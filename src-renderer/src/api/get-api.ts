import type { PatchbayApi } from '../../../src-shared/api-contract';
import type { DroppedNotice } from '../../../src-shared/events';
import { createElectronApi } from './electron-api';
import type { LinkState } from './event-stream';
import { currentOwner, renewOwner } from './owner';
import { takeToken } from './token';
import { createWebApi, type ResyncReason } from './web-api';

/** The api plus what the renderer needs to know about the link it travels over. */
export interface RendererBridge {
  api: PatchbayApi;
  mode: 'electron' | 'web';
  /** Resolves once events flow: in web mode when the event stream is open, so no session is opened that its end would not close. */
  ready: Promise<void>;
  /** Events may have been missed; take a new snapshot. `notice` says how many and why when main dropped them. */
  onResync(listener: (reason: ResyncReason, notice?: DroppedNotice) => void): () => void;
  /** The link was lost: the server is closing every session of the current owner. */
  onLost(listener: (error: string) => void): () => void;
  onLinkState(listener: (state: LinkState) => void): () => void;
}

/** The page cannot reach Patchbay at all (web mode opened without its token). */
export class BridgeUnavailableError extends Error {
  override readonly name = 'BridgeUnavailableError';
}

let bridge: RendererBridge | undefined;

/**
 * The renderer's one bridge to main: the preload's `window.patchbay` in Electron, otherwise the same api over
 * web mode's HTTP bridge at the page's origin. Created once; throws BridgeUnavailableError when web mode has no token.
 */
export function getBridge(): RendererBridge {
  bridge ??= createBridge();
  return bridge;
}

/** The api object (see src-shared/api-contract.ts). */
export function getApi(): PatchbayApi {
  return getBridge().api;
}

function createBridge(): RendererBridge {
  if (window.patchbay) {
    const noop = () => () => undefined;
    const api = createElectronApi(window.patchbay);
    return {
      api,
      mode: 'electron',
      ready: Promise.resolve(),
      // IPC cannot be lost, but main drops events for a window that falls behind, and says so.
      onResync: (listener) => api.onEventsDropped?.((notice) => listener('dropped', notice)) ?? (() => undefined),
      onLost: noop,
      onLinkState: (listener) => {
        listener({ status: 'open' });
        return () => undefined;
      },
    };
  }
  const token = takeToken({ location: window.location, history: window.history, storage: window.sessionStorage });
  if (!token) {
    throw new BridgeUnavailableError(
      'This page was opened without its access token. Open the full URL that `npm run web` printed (it ends in #token=…).',
    );
  }
  const web = createWebApi({ origin: window.location.origin, token, owner: currentOwner, renewOwner: () => void renewOwner() });
  return { api: web.api, mode: 'web', ready: web.opened, onResync: web.onResync, onLost: web.onLost, onLinkState: web.onLinkState };
}
