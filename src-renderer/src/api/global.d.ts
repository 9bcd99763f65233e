import type { PreloadApi } from '../../../src-shared/api-contract';

declare global {
  interface Window {
    /** The api object the Electron preload exposes; absent in web mode. */
    patchbay?: PreloadApi;
  }
}
