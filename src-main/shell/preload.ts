// The preload: exposes one object with a named method per api entry, and event subscriptions that return their
// unsubscribe function. No generic ipc passthrough reaches the page.
//
// A sandboxed preload can `require` only electron, events, timers and url, so this file imports nothing but
// electron and the dependency-free names (src-shared/api-names.ts); the build inlines those, and a test loads
// the built bundle the way Electron's sandbox does (src-main/shell/preload-bundle.test.ts).
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import type { ApiEventPayload, PreloadApi } from '../../src-shared/api-contract';
import { API_METHOD_NAMES, IPC_CHANNELS, type ApiEventName } from '../../src-shared/api-names';

function subscribe<N extends ApiEventName>(name: N, listener: (payload: ApiEventPayload[N]) => void): () => void {
  const channel = IPC_CHANNELS.event(name);
  const handler = (_event: IpcRendererEvent, payload: ApiEventPayload[N]): void => listener(payload);
  ipcRenderer.on(channel, handler);
  return () => void ipcRenderer.removeListener(channel, handler);
}

// Results travel as data ({ ok, value } or { ok: false, error }): an Error rejected across the context bridge
// would reach the page without its class and code.
const methods = Object.fromEntries(API_METHOD_NAMES.map((method) => [method, (input?: unknown) => ipcRenderer.invoke(IPC_CHANNELS.invoke(method), input)]));

const api = {
  ...methods,
  onLifecycleEvent: (listener: (payload: ApiEventPayload['lifecycle']) => void) => subscribe('lifecycle', listener),
  onCatalogChanged: (listener: (payload: ApiEventPayload['catalog']) => void) => subscribe('catalog', listener),
  onOpenFiles: (listener: (payload: ApiEventPayload['openFiles']) => void) => subscribe('openFiles', listener),
  // A dropped File's path, which the sandboxed page cannot see; main reads and validates the file itself.
  pathForFile: (file: File) => webUtils.getPathForFile(file),
} as PreloadApi;

contextBridge.exposeInMainWorld('patchbay', api);
