import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** Chromium to drive in web mode: $CHROMIUM_PATH, else Debian's /usr/bin/chromium. Playwright's own download is never used. */
export function chromiumExecutable(): string | undefined {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter((path): path is string => Boolean(path));
  return candidates.find((path) => existsSync(path));
}

/**
 * The Electron binary, found without requiring the `electron` package (which would try to download it):
 * ELECTRON_OVERRIDE_DIST_PATH, else the binary npm placed in node_modules/electron/dist. Returns the reason when
 * there is none.
 */
export function electronBinary(): { path: string } | { missing: string } {
  const packageFolder = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  const pathFile = join(packageFolder, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : process.platform === 'darwin' ? 'Electron.app/Contents/MacOS/Electron' : 'electron';
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const path = override ? join(override, relative) : join(packageFolder, 'dist', relative);
  if (existsSync(path)) return { path };
  return {
    missing: override
      ? `no Electron binary at ${path} (ELECTRON_OVERRIDE_DIST_PATH)`
      : `no Electron binary at ${path}: the electron package fetches it from GitHub on first use, which this machine cannot reach; set ELECTRON_OVERRIDE_DIST_PATH to a folder with an Electron build to run these specs against the app`,
  };
}
