// The Electron entry: starts the services (proxy on 127.0.0.1 with a random port and a per-launch token),
// opens the window, wires IPC, and makes every way of quitting close every session and child first.
import { join } from 'node:path';
import { app, BrowserWindow, dialog, safeStorage, session, shell } from 'electron';
import { IPC_CHANNELS } from '../../src-shared/api-names';
import { startAppServices, type AppServices } from '../services/app-services';
import { mergePaths, pathFromLoginShell } from '../services/login-shell-path';
import { APP_ORIGIN, developmentRendererUrl } from './app-origin';
import { registerAppScheme, serveRendererFolder } from './app-protocol';
import { registerIpc } from './ipc';
import { installMenu } from './menu';
import { configPathsFromArgv, OpenFilesQueue } from './open-files';
import { createQuitCoordinator, quitsWhenAllWindowsClosed } from './quit-coordinator';
import { applyPermissionPolicy } from './session-policy';
import { signInOpener } from './sign-in-browser';
import { createMainWindow } from './windows';

// Only an unpackaged app (npm run dev) loads its renderer from electron-vite's dev server.
const devServerUrl = developmentRendererUrl(app.isPackaged, process.env);
const preloadPath = join(import.meta.dirname, '../preload/index.js');
const rendererFolder = join(import.meta.dirname, '../renderer');

// Tests and power users may point the app at its own data folder.
if (process.env.PATCHBAY_USER_DATA) app.setPath('userData', process.env.PATCHBAY_USER_DATA);

let services: AppServices | undefined;
const filesToOpen = new OpenFilesQueue();

const openWindow = (): BrowserWindow => createMainWindow(preloadPath, devServerUrl);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  registerAppScheme();
  // Config files given to the first launch, and to any later one (which only forwards them here and exits).
  filesToOpen.add(configPathsFromArgv(process.argv.slice(app.isPackaged ? 1 : 2), process.cwd()));
  app.on('second-instance', (_event, argv, workingDirectory) => {
    filesToOpen.add(configPathsFromArgv(argv.slice(1), workingDirectory));
    const [window] = BrowserWindow.getAllWindows();
    if (!window) {
      if (app.isReady()) openWindow();
      return;
    }
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  // macOS hands over files dropped on the Dock icon or opened with "Open With" as open-file events, the first of
  // them before the app is ready: listen from will-finish-launching on, and queue them until a page can take them.
  app.on('will-finish-launching', () => {
    app.on('open-file', (event, path) => {
      event.preventDefault();
      filesToOpen.add(configPathsFromArgv([path], process.cwd()));
      if (app.isReady() && services && BrowserWindow.getAllWindows().length === 0) openWindow();
    });
  });

  const quit = createQuitCoordinator(
    async () => {
      await services?.close();
    },
    () => app.quit(),
  );
  app.on('before-quit', (event) => quit.onBeforeQuit(event));
  app.on('window-all-closed', () => {
    if (quitsWhenAllWindowsClosed(process.platform)) app.quit();
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit());

  app
    .whenReady()
    .then(async () => {
      applyPermissionPolicy(session.defaultSession, devServerUrl);
      // Started from the Finder, the Dock or a desktop launcher, the app has a bare PATH: take the login shell's,
      // so that servers started with npx, uvx, node or docker are found, as they are from a terminal.
      if (app.isPackaged && process.platform !== 'win32') process.env.PATH = mergePaths(await pathFromLoginShell(), process.env.PATH);
      // Secret env values and headers are sealed with the OS keychain where there is one.
      const secretCodec = safeStorage.isEncryptionAvailable()
        ? {
            encrypt: (plain: string) => safeStorage.encryptString(plain).toString('base64'),
            decrypt: (sealed: string) => safeStorage.decryptString(Buffer.from(sealed, 'base64')),
          }
        : undefined;
      services = await startAppServices({
        dataDir: app.getPath('userData'),
        host: 'electron',
        allowedOrigins: [APP_ORIGIN],
        secretCodec,
        // A settings file or child record that could not be read: the app's log says so (the terminal under npm start).
        onWarning: (message) => console.warn(`MCP Patchbay: ${message}`),
        // A sign-in's page opens in the system browser (the renderer only shows a link to it).
        oauth: { openBrowser: signInOpener((url) => shell.openExternal(url)) },
      });
      const ready = services;
      // The page's CSP names the proxy's port, so the page is served once the proxy listens.
      serveRendererFolder(rendererFolder, ready.proxy.port, ready.appSandbox.origin);
      registerIpc(() => ready, devServerUrl, (contents) =>
        filesToOpen.ready((paths) => {
          if (contents.isDestroyed()) return false;
          contents.send(IPC_CHANNELS.event('openFiles'), { paths });
          return true;
        }),
      );
      installMenu(() => {
        const window = BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0];
        const options = {
          title: 'Open MCP config files',
          properties: ['openFile', 'multiSelections'] as Array<'openFile' | 'multiSelections'>,
          filters: [
            { name: 'MCP config files', extensions: ['json', 'jsonc', 'yaml', 'yml', 'toml'] },
            { name: 'All files', extensions: ['*'] },
          ],
        };
        void (window ? dialog.showOpenDialog(window, options) : dialog.showOpenDialog(options)).then(
          (result) => {
            if (!result.canceled) filesToOpen.add(result.filePaths);
          },
          (error: unknown) => console.error('MCP Patchbay: the open dialog failed:', error),
        );
      }, (id) => {
        // A Help menu shortcut: the focused window runs it, through the same event path as every other push.
        const window = BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0];
        if (window && !window.webContents.isDestroyed()) window.webContents.send(IPC_CHANNELS.event('shortcut'), { id });
      });
      openWindow();
      // macOS: the Dock icon of a running app with no window opens one.
      app.on('activate', () => {
        if (BrowserWindow.getAllWindows().length === 0) openWindow();
      });
    })
    .catch((error: unknown) => {
      dialog.showErrorBox('MCP Patchbay could not start', error instanceof Error ? error.message : String(error));
      app.exit(1);
    });
}
