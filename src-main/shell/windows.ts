import { BrowserWindow, shell } from 'electron';
import { APP_ENTRY_URL, decideNavigation } from './app-origin';
import { mainWindowOptions } from './window-options';

/** Creates the main window, with navigation and window.open locked to the app; http(s) links open in the browser. */
export function createMainWindow(preloadPath: string, devServerUrl?: string): BrowserWindow {
  const window = new BrowserWindow(mainWindowOptions(preloadPath));
  const contents = window.webContents;
  contents.on('will-navigate', (event, url) => {
    const decision = decideNavigation(url, devServerUrl);
    if (decision === 'allow') return;
    event.preventDefault();
    if (decision === 'open-externally') void shell.openExternal(url);
  });
  contents.setWindowOpenHandler(({ url }) => {
    if (decideNavigation(url, devServerUrl) === 'open-externally') void shell.openExternal(url);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  window.once('ready-to-show', () => window.show());
  void window.loadURL(devServerUrl ?? APP_ENTRY_URL);
  return window;
}
