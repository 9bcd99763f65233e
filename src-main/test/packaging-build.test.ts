import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { extractFile, listPackage } from '@electron/asar';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';

// electron-builder run for real on the project, as `npm run dist:dir` runs it, with a stand-in for the Electron
// distribution that cannot be downloaded here. It proves the configuration packs: the app's asar holds the built
// bundles, package.json and exactly the production dependencies. Flipping the fuses needs the real binary, so the
// stand-in run leaves them out; the fuse settings themselves are checked in packaging.test.ts.

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'patchbay-pack-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function runBuilder(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'node_modules/electron-builder/cli.js'), ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('close', (code) => resolve({ code, output }));
  });
}

describe('an unpacked app built by electron-builder', () => {
  it('ships the built bundles and the production dependencies, and nothing of the dev tools', { timeout: 240_000 }, async () => {
    const standIn = join(scratch, 'electron-dist');
    mkdirSync(join(standIn, 'resources'), { recursive: true });
    writeFileSync(join(standIn, 'electron'), '#!/bin/sh\n', { mode: 0o755 });
    writeFileSync(join(standIn, 'version'), 'stand-in');
    const config = parse(readFileSync(join(ROOT, 'build/electron-builder.yml'), 'utf8')) as Record<string, unknown>;
    delete config.electronFuses;
    const configFile = join(scratch, 'electron-builder.yml');
    writeFileSync(configFile, stringify({ ...config, directories: { buildResources: join(ROOT, 'build'), output: join(scratch, 'dist') } }));

    const { code, output } = await runBuilder(['--config', configFile, '--publish', 'never', '--linux', '--dir', `--config.electronDist=${standIn}`]);
    expect(output).not.toContain('⨯');
    expect(code).toBe(0);

    const asar = join(scratch, 'dist/linux-unpacked/resources/app.asar');
    const files = listPackage(asar, { isPack: false });
    expect(files).toEqual(expect.arrayContaining(['/out/main/index.js', '/out/preload/index.js', '/out/renderer/index.html', '/package.json']));
    expect(files.filter((file) => /^\/(src-|e2e|bench|build)/.test(file))).toEqual([]);
    const shippedPackages = new Set(files.map((file) => /^\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)?.[1]).filter((name): name is string => Boolean(name)));
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
    for (const dependency of Object.keys(manifest.dependencies)) expect(shippedPackages.has(dependency), `${dependency} is shipped`).toBe(true);
    for (const tool of Object.keys(manifest.devDependencies)) {
      // A dev tool may still ship as a dependency of a production package (zod, say); the tools themselves may not.
      if (['electron', 'electron-builder', 'electron-vite', 'vite', 'vitest', 'react', 'react-dom', 'zustand', 'typescript', 'eslint', '@playwright/test'].includes(tool)) {
        expect(shippedPackages.has(tool), `${tool} is not shipped`).toBe(false);
      }
    }
    const shippedManifest = JSON.parse(extractFile(asar, 'package.json').toString()) as { main: string; name: string };
    expect(shippedManifest).toMatchObject({ main: 'out/main/index.js', name: 'mcp-patchbay' });
  });
});
