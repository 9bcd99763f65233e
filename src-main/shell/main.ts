// Placeholder Electron entry: the real shell (window, IPC, menu, proxy start-up) arrives with the desktop-app issue.
import { app, BrowserWindow } from 'electron';
import { join } from 'node:path';

void app.whenReady().then(() => {
  const window = new BrowserWindow({
    width: 1200,
    height: 800,
    webPreferences: { preload: join(import.meta.dirname, '../preload/index.js'), contextIsolation: true, sandbox: true, nodeIntegration: false },
  });
  void window.loadFile(join(import.meta.dirname, '../renderer/index.html'));
});
app.on('window-all-closed', () => app.quit());
