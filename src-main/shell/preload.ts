// The preload: exposes one typed api object with a named method per contract entry, and event subscriptions that
// return their unsubscribe function. No generic ipc passthrough reaches the page.
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { API_METHODS, IPC_CHANNELS, unwrapApiResult, type ApiEventName, type ApiEventPayload, type ApiResult, type PatchbayApi } from '../../src-shared/api-contract';

function subscribe<N extends ApiEventName>(name: N, listener: (payload: ApiEventPayload[N]) => void): () => void {
  const channel = IPC_CHANNELS.event(name);
  const handler = (_event: IpcRendererEvent, payload: ApiEventPayload[N]): void => listener(payload);
  ipcRenderer.on(channel, handler);
  return () => void ipcRenderer.removeListener(channel, handler);
}

const methods = Object.fromEntries(
  API_METHODS.map((method) => [
    method,
    async (input?: unknown) => unwrapApiResult(method, (await ipcRenderer.invoke(IPC_CHANNELS.invoke(method), input)) as ApiResult<unknown>),
  ]),
);

const api = {
  ...methods,
  onLifecycleEvent: (listener: (payload: ApiEventPayload['lifecycle']) => void) => subscribe('lifecycle', listener),
  onCatalogChanged: (listener: (payload: ApiEventPayload['catalog']) => void) => subscribe('catalog', listener),
  onOpenFiles: (listener: (payload: ApiEventPayload['openFiles']) => void) => subscribe('openFiles', listener),
  // A dropped File's path, which the sandboxed page cannot see; main reads and validates the file itself.
  pathForFile: (file: File) => webUtils.getPathForFile(file),
} as PatchbayApi;

contextBridge.exposeInMainWorld('patchbay', api);
