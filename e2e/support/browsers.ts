import { existsSync } from 'node:fs';
import { electronPackage, locateElectron } from '../../src-main/cli/electron-binary';

/** Chromium to drive in web mode: $CHROMIUM_PATH, else Debian's /usr/bin/chromium. Playwright's own download is never used. */
export function chromiumExecutable(): string | undefined {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter((path): path is string => Boolean(path));
  return candidates.find((path) => existsSync(path));
}

/**
 * The Electron binary, found without requiring the `electron` package (which would try to download it):
 * ELECTRON_OVERRIDE_DIST_PATH, else the binary the package unpacked into node_modules/electron/dist (the same
 * lookup `npm start` makes). Returns the reason when there is none.
 */
export function electronBinary(): { path: string } | { missing: string } {
  const found = locateElectron(electronPackage());
  if ('path' in found) return { path: found.path };
  return {
    missing: process.env.ELECTRON_OVERRIDE_DIST_PATH
      ? found.missing
      : `${found.missing} (it is fetched from GitHub on first use: \`npx install-electron\` or \`npm start\`; this machine may not reach it); set ELECTRON_OVERRIDE_DIST_PATH to a folder with an Electron build to run these specs against the app`,
  };
}
