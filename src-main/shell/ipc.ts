import { BrowserWindow, ipcMain, type WebContents } from 'electron';
import { IPC_CHANNELS, type ApiEventName } from '../../src-shared/api-contract';
import type { AppServices } from '../services/app-services';
import { WindowEventFanout } from '../services/events/window-event-fanout';
import { buildIpcRegistrations, isTrustedSender } from './ipc-guard';

/**
 * Registers every api method once, and forwards the api's events to the app's windows. A window's sessions (tagged
 * with the owner id it said hello with) are closed when it reloads or closes, so nothing outlives it.
 */
export function registerIpc(services: () => AppServices, devServerUrl?: string, onWindowReady?: (contents: WebContents) => void): () => void {
  const ownWindows = (): BrowserWindow[] => BrowserWindow.getAllWindows();
  const isOwnWindow = (id: number): boolean => ownWindows().some((window) => window.webContents.id === id);
  // A window may say hello more than once (a test probe, a re-mount); all its owner ids close with it.
  const owners = new Map<number, Set<string>>();

  for (const registration of buildIpcRegistrations(() => services().handlers, isOwnWindow, devServerUrl)) {
    ipcMain.handle(registration.channel, async (event, payload: unknown) => {
      const result = await registration.handle(event, payload);
      if (registration.method === 'hello' && result.ok) {
        watchOwner(event.sender, (payload as { owner: string }).owner);
        // The page has subscribed to its events by now: what waited for it (files to open) can go.
        onWindowReady?.(event.sender);
      }
      return result;
    });
  }

  function watchOwner(contents: WebContents, owner: string): void {
    const known = owners.get(contents.id);
    if (known) {
      known.add(owner);
      return;
    }
    owners.set(contents.id, new Set([owner]));
    const release = (): void => {
      for (const gone of owners.get(contents.id) ?? []) void services().proxy.sessions.closeOwnedBy(gone, 'client-disconnected');
      owners.get(contents.id)?.clear();
    };
    contents.once('destroyed', () => {
      release();
      owners.delete(contents.id);
    });
    contents.on('did-start-navigation', (details) => {
      if (details.isMainFrame && !details.isSameDocument) release();
    });
  }

  // Events reach each window through its own bounded, acknowledged queue (services/events/window-event-fanout.ts).
  const fanout = new WindowEventFanout();
  ipcMain.on(IPC_CHANNELS.eventsAck, (event, ack: unknown) => {
    if (!isTrustedSender(event, isOwnWindow, devServerUrl)) return;
    const refused = fanout.acknowledge(event.sender.id, ack);
    if (refused) console.error(`[patchbay] ${refused}`);
  });
  const unsubscribe = services().subscribe((name: ApiEventName, payload: unknown) => {
    for (const window of ownWindows()) {
      if (window.isDestroyed()) continue;
      const contents = window.webContents;
      const first = fanout.publish(contents.id, { name, payload }, (channel, message) => {
        if (!contents.isDestroyed()) contents.send(channel, message);
      });
      if (first) contents.once('destroyed', () => fanout.forget(contents.id));
    }
  });
  return () => {
    unsubscribe();
    ipcMain.removeAllListeners(IPC_CHANNELS.eventsAck);
  };
}
