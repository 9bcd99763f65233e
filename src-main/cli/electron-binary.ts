// Finds the Electron binary the desktop app runs on, and fetches it on first use through the electron package's
// own installer. Electron 45's npm package downloads nothing at `npm install`: the binary arrives on the first
// `require('electron')` or `npx install-electron`, and electron-vite gives up ("Electron uninstall") before either
// happens. `npm start`, `npm run dev` and the end-to-end specs all go through here instead.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** Where the binary is, or why there is none. */
export type ElectronLocation = { path: string; distFolder: string } | { missing: string };

export interface ElectronPackage {
  /** The folder of node_modules/electron. */
  folder: string;
  version: string;
}

/** The electron package this project installed. */
export function electronPackage(fromFolder: string = import.meta.dirname): ElectronPackage {
  const manifest = createRequire(join(fromFolder, 'noop.js')).resolve('electron/package.json');
  return { folder: dirname(manifest), version: (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version };
}

/** The executable inside an Electron distribution folder, per platform (what the package writes to path.txt). */
export function executableInDist(platform: NodeJS.Platform = process.platform): string {
  if (platform === 'darwin') return 'Electron.app/Contents/MacOS/Electron';
  if (platform === 'win32') return 'electron.exe';
  return 'electron';
}

/**
 * The binary, without requiring the `electron` package (which would start a download): ELECTRON_OVERRIDE_DIST_PATH
 * if set, else the distribution the package unpacked into its own dist folder.
 */
export function locateElectron(pkg: ElectronPackage, env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): ElectronLocation {
  const pathFile = join(pkg.folder, 'path.txt');
  const executable = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : executableInDist(platform);
  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  const distFolder = override || join(pkg.folder, 'dist');
  const path = join(distFolder, executable);
  if (existsSync(path)) return { path, distFolder };
  return {
    missing: override
      ? `no Electron binary at ${path}: ELECTRON_OVERRIDE_DIST_PATH names ${override}, which holds no Electron ${pkg.version} build for ${platform}`
      : `no Electron binary at ${path}: the electron package has not downloaded it yet`,
  };
}

/** The sentence for a machine that cannot download the binary, with the way out. */
export function downloadFailedMessage(pkg: ElectronPackage, detail: string, platform: NodeJS.Platform = process.platform, arch: string = process.arch): string {
  return [
    `MCP Patchbay could not download the Electron ${pkg.version} binary for ${platform}-${arch} (${detail}).`,
    'The electron package fetches it from GitHub on first use; this machine could not reach it (check the network,',
    'or set HTTPS_PROXY, or ELECTRON_MIRROR for a mirror). Or get an Electron build yourself: download',
    `electron-v${pkg.version}-${platform}-${arch}.zip from the Electron releases, unpack it, and point`,
    'ELECTRON_OVERRIDE_DIST_PATH at the unpacked folder, e.g.',
    `  ELECTRON_OVERRIDE_DIST_PATH=/path/to/electron-v${pkg.version}-${platform}-${arch} npm start`,
  ].join('\n');
}

/** Node's version as [major, minor]. */
function nodeVersion(version: string = process.versions.node): [number, number] {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return [major, minor];
}

/** Electron 45's installer (@electron/get) asks for Node 22.12 or newer. */
export function nodeTooOldForInstaller(version: string = process.versions.node): boolean {
  const [major, minor] = nodeVersion(version);
  return major < 22 || (major === 22 && minor < 12);
}

export interface EnsureOptions {
  env?: NodeJS.ProcessEnv;
  /** Progress and warnings for the person at the terminal. */
  log?: (line: string) => void;
}

/**
 * The binary, downloading it first through the electron package's own installer (install.js) when it is not
 * there yet. Rejects with a sentence that says what to do when it cannot be had.
 */
export async function ensureElectron(pkg: ElectronPackage, options: EnsureOptions = {}): Promise<{ path: string; distFolder: string }> {
  const env = options.env ?? process.env;
  const log = options.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const found = locateElectron(pkg, env);
  if ('path' in found) return found;
  // An override that points nowhere is a mistake to name, not a reason to download.
  if (env.ELECTRON_OVERRIDE_DIST_PATH) throw new Error(found.missing);

  if (nodeTooOldForInstaller()) {
    log(`warning: Electron ${pkg.version}'s installer asks for Node 22.12 or newer; this is Node ${process.versions.node}.`);
  }
  log(`Downloading the Electron ${pkg.version} binary for ${process.platform}-${process.arch} (first start only, about 100 MB)...`);
  const outcome = await new Promise<{ code: number | null; output: string }>((resolve) => {
    const installer = spawn(process.execPath, [join(pkg.folder, 'install.js')], { cwd: pkg.folder, env, stdio: ['ignore', 'inherit', 'pipe'] });
    let output = '';
    installer.stderr.on('data', (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-4000);
    });
    installer.once('error', (error) => resolve({ code: -1, output: error.message }));
    installer.once('close', (code) => resolve({ code, output }));
  });
  const afterwards = locateElectron(pkg, env);
  if (outcome.code === 0 && 'path' in afterwards) {
    log(`Electron ${pkg.version} is ready: ${afterwards.path}`);
    return afterwards;
  }
  throw new Error(downloadFailedMessage(pkg, firstErrorLine(outcome.output) ?? `the installer exited with code ${outcome.code}`));
}

/** The installer prints a stack; its first line says what went wrong ("TypeError: fetch failed"). */
function firstErrorLine(output: string): string | undefined {
  return output
    .split('\n')
    .map((line) => line.trim())
    .find((line) => line.length > 0 && !line.startsWith('at '));
}
