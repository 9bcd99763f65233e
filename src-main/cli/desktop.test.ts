import { spawn } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { electronPackage, ensureElectron, executableInDist, locateElectron } from './electron-binary';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'patchbay-desktop-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A stand-in Electron distribution: an executable that prints how it was started and exits. */
function fakeElectronDist(): string {
  const folder = mkdtempSync(join(scratch, 'dist-'));
  const executable = join(folder, executableInDist());
  mkdirSync(join(executable, '..'), { recursive: true });
  writeFileSync(executable, '#!/bin/sh\necho "stand-in electron started with: $*"\necho "in: $(pwd)"\n');
  chmodSync(executable, 0o755);
  return folder;
}

/** Runs a command in the project folder; resolves with its exit code and output. */
function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('close', (code) => resolve({ code, output }));
  });
}

describe.skipIf(process.platform === 'win32')('npm start', () => {
  it('builds and starts the app on the Electron binary named by ELECTRON_OVERRIDE_DIST_PATH', async () => {
    const dist = fakeElectronDist();
    const { code, output } = await run('npm', ['start'], { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: dist });
    expect(output).not.toContain('Electron uninstall');
    expect(output).toContain('stand-in electron started with: .');
    expect(output).toContain(`in: ${ROOT.replace(/\/$/, '')}`);
    expect(code).toBe(0);
  });

  it('names the folder when ELECTRON_OVERRIDE_DIST_PATH holds no Electron build', async () => {
    const empty = mkdtempSync(join(scratch, 'empty-'));
    const { code, output } = await run('npm', ['start'], { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: empty });
    expect(output).toContain(`no Electron binary at ${join(empty, executableInDist())}: ELECTRON_OVERRIDE_DIST_PATH names ${empty}`);
    expect(code).toBe(1);
  });
});

describe('the Electron binary on first use', () => {
  it('is downloaded through the electron package, and a failed download says how to point at a local build', async () => {
    // A copy of the electron package without its binary, inside the project so that its installer finds
    // @electron/get; the download goes to a closed loopback port, and an empty cache, so nothing leaves the machine.
    const real = electronPackage(ROOT);
    const copy = mkdtempSync(join(ROOT, 'node_modules', '.patchbay-electron-test-'));
    try {
      for (const file of ['package.json', 'install.js', 'checksums.json']) copyFileSync(join(real.folder, file), join(copy, file));
      const lines: string[] = [];
      const env: NodeJS.ProcessEnv = { ...process.env, ELECTRON_MIRROR: 'http://127.0.0.1:1/', electron_config_cache: mkdtempSync(join(scratch, 'cache-')) };
      delete env.ELECTRON_OVERRIDE_DIST_PATH;
      const failure = await ensureElectron({ folder: copy, version: real.version }, { env, log: (line) => lines.push(line) }).catch((error: Error) => error);
      expect(lines).toContain(`Downloading the Electron ${real.version} binary for ${process.platform}-${process.arch} (first start only, about 100 MB)...`);
      expect(failure).toBeInstanceOf(Error);
      expect((failure as Error).message).toContain(`MCP Patchbay could not download the Electron ${real.version} binary for ${process.platform}-${process.arch}`);
      expect((failure as Error).message).toContain(`ELECTRON_OVERRIDE_DIST_PATH=/path/to/electron-v${real.version}-${process.platform}-${process.arch} npm start`);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  it('is found where the package unpacked it (path.txt) or where the override points', () => {
    const folder = mkdtempSync(join(scratch, 'pkg-'));
    writeFileSync(join(folder, 'path.txt'), 'custom/electron-bin');
    mkdirSync(join(folder, 'dist/custom'), { recursive: true });
    writeFileSync(join(folder, 'dist/custom/electron-bin'), '');
    expect(locateElectron({ folder, version: '45.4.1' }, {})).toEqual({ path: join(folder, 'dist/custom/electron-bin'), distFolder: join(folder, 'dist') });
    const override = fakeElectronDist();
    rmSync(join(folder, 'path.txt'));
    expect(locateElectron({ folder, version: '45.4.1' }, { ELECTRON_OVERRIDE_DIST_PATH: override })).toEqual({ path: join(override, executableInDist()), distFolder: override });
    expect(locateElectron({ folder, version: '45.4.1' }, {})).toEqual({ missing: `no Electron binary at ${join(folder, 'dist', executableInDist())}: the electron package has not downloaded it yet` });
  });
});
