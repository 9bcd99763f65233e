// The preload: exposes one object with a named method per api entry, and event subscriptions that return their
// unsubscribe function. No generic ipc passthrough reaches the page.
//
// A sandboxed preload can `require` only electron, events, timers and url, so this file imports nothing but
// electron, timers and the dependency-free names (src-shared/api-names.ts); the build inlines those, and a test loads
// the built bundle the way Electron's sandbox does (src-main/shell/preload-bundle.test.ts).
import { setTimeout } from 'timers';
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import type { ApiEventPayload, PreloadApi } from '../../src-shared/api-contract';
import { ACKED_EVENT_NAMES, API_METHOD_NAMES, IPC_CHANNELS, type ApiEventName } from '../../src-shared/api-names';

// Flow control: main sends a window only so many events before the window says it handled them. Every such event
// that reaches this page counts, whether or not the page listens to it; the count goes back once the page is
// free again (a timer, so a page that is busy acknowledges late and main holds back).
let handled = 0;
let ackTimer: unknown;
for (const name of ACKED_EVENT_NAMES) {
  ipcRenderer.on(IPC_CHANNELS.event(name), () => {
    handled += 1;
    ackTimer ??= setTimeout(() => {
      ipcRenderer.send(IPC_CHANNELS.eventsAck, { handled });
      handled = 0;
      ackTimer = undefined;
    }, 0);
  });
}
// A page that (re)starts will never acknowledge what was sent to the one before it.
ipcRenderer.send(IPC_CHANNELS.eventsAck, { started: true });

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
  onEventsDropped: (listener: (payload: ApiEventPayload['dropped']) => void) => subscribe('dropped', listener),
  onShortcut: (listener: (payload: ApiEventPayload['shortcut']) => void) => subscribe('shortcut', listener),
  onStressProgress: (listener: (payload: ApiEventPayload['stress']) => void) => subscribe('stress', listener),
  // A dropped File's path, which the sandboxed page cannot see; main reads and validates the file itself.
  pathForFile: (file: File) => webUtils.getPathForFile(file),
} as PreloadApi;

contextBridge.exposeInMainWorld('patchbay', api);
