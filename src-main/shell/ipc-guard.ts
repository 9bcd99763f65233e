import { API_METHODS, IPC_CHANNELS, type ApiMethod, type ApiResult } from '../../src-shared/api-contract';
import { invokeApi, type ApiHandlers } from '../services/api/api-handlers';
import { isAppUrl } from './app-origin';

/** The parts of an IPC event the guard looks at (Electron's IpcMainInvokeEvent has them). */
export interface IpcSenderInfo {
  /** The frame that sent the message; null once it navigated away or was destroyed. */
  senderFrame: { url: string; parent: unknown } | null;
  sender: { id: number };
}

/**
 * Whether an IPC message comes from the app's own top frame in one of its windows: not from a subframe, not
 * from a page that navigated elsewhere, not from a window the app did not create.
 */
export function isTrustedSender(event: IpcSenderInfo, isOwnWindow: (webContentsId: number) => boolean, devServerUrl?: string): boolean {
  const frame = event.senderFrame;
  if (!frame || frame.parent !== null) return false;
  return isOwnWindow(event.sender.id) && isAppUrl(frame.url, devServerUrl);
}

/** One IPC handler per api method: channel name and the function to register for it. */
export interface IpcRegistration {
  channel: string;
  method: ApiMethod;
  handle(event: IpcSenderInfo, payload: unknown): Promise<ApiResult<unknown>>;
}

/**
 * Builds the IPC handlers of every api method, each of which refuses untrusted senders and validates the payload
 * against the contract before the service runs. Registered once, in one place (shell/ipc.ts).
 */
export function buildIpcRegistrations(
  handlers: () => ApiHandlers,
  isOwnWindow: (webContentsId: number) => boolean,
  devServerUrl?: string,
): IpcRegistration[] {
  return API_METHODS.map((method) => ({
    channel: IPC_CHANNELS.invoke(method),
    method,
    handle: async (event, payload) => {
      if (!isTrustedSender(event, isOwnWindow, devServerUrl)) {
        return { ok: false, error: { code: 'rejected', message: `api call ${method} refused: it did not come from the app's own window` } };
      }
      return invokeApi(handlers(), method, payload);
    },
  }));
}
