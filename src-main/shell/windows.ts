import { BrowserWindow, shell } from 'electron';
import { APP_ENTRY_URL, decideNavigation } from './app-origin';
import { UserGestures } from './user-gestures';
import { mainWindowOptions } from './window-options';

/**
 * Creates the main window, with navigation and window.open locked to the app. An http(s) link opens in the
 * system browser only when the user clicked it (see UserGestures): a script's navigation to the web, or any
 * other scheme, is simply refused.
 */
export function createMainWindow(preloadPath: string, devServerUrl?: string): BrowserWindow {
  const window = new BrowserWindow(mainWindowOptions(preloadPath));
  const contents = window.webContents;
  const gestures = new UserGestures();
  contents.on('input-event', (_event, input) => gestures.note(input.type));
  const openIfClicked = (url: string): void => {
    if (decideNavigation(url, devServerUrl) === 'open-externally' && gestures.isRecent()) void shell.openExternal(url).catch((error: unknown) => console.error(`MCP Patchbay could not open ${url}:`, error));
  };
  contents.on('will-navigate', (event, url) => {
    if (decideNavigation(url, devServerUrl) === 'allow') return;
    event.preventDefault();
    openIfClicked(url);
  });
  contents.setWindowOpenHandler(({ url }) => {
    openIfClicked(url);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  window.once('ready-to-show', () => window.show());
  void window.loadURL(devServerUrl ?? APP_ENTRY_URL).catch((error: unknown) => console.error('MCP Patchbay: the window could not load the app:', error));
  return window;
}
