import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { validateWorkflow } from '@action-validator/core';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

// The installers cannot be built on a machine without the Electron distribution, so what makes them is checked
// here: the electron-builder configuration against electron-builder's own schema and against what we promise
// (targets, fuses, icons, file associations), and the GitHub workflows against the workflow schema.

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const read = (path: string): string => readFileSync(`${ROOT}${path}`, 'utf8');
const requireFromRoot = createRequire(`${ROOT}package.json`);

interface Target {
  target: string;
  arch: string[];
}
interface FileAssociation {
  ext: string[];
  name: string;
  role?: string;
  rank?: string;
  mimeType?: string;
}
interface BuilderConfig {
  appId: string;
  productName: string;
  copyright: string;
  files: string[];
  icon: string;
  fileAssociations?: unknown;
  electronFuses: Record<string, boolean>;
  mac: { category: string; icon: string; target: Target[]; fileAssociations: FileAssociation[]; hardenedRuntime: boolean; entitlements: string };
  win: { icon: string; target: Target[]; fileAssociations?: unknown };
  nsis: { oneClick: boolean; perMachine: boolean; allowElevation: boolean; createStartMenuShortcut: boolean; include: string };
  linux: { category: string; icon: string; target: Target[]; fileAssociations: FileAssociation[] };
}

const config = parse(read('build/electron-builder.yml')) as BuilderConfig;

function schemaErrors(candidate: unknown): string[] {
  const schema = JSON.parse(readFileSync(requireFromRoot.resolve('app-builder-lib/scheme.json'), 'utf8')) as object;
  const ajv = new Ajv({ allErrors: true, strict: false });
  const validate = ajv.compile(schema);
  if (validate(candidate)) return [];
  return (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? ''} ${JSON.stringify(error.params)}`);
}

/** Width and height from a PNG's header. */
function pngSize(bytes: Buffer): { width: number; height: number } {
  expect(bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

const targetsOf = (targets: Target[]): string[] => targets.flatMap((entry) => entry.arch.map((arch) => `${entry.target}:${arch}`)).sort();

describe('the electron-builder configuration', () => {
  it("is valid against electron-builder's own schema", () => {
    expect(schemaErrors(config)).toEqual([]);
    // The check bites: a misspelt option is refused.
    expect(schemaErrors({ ...config, electronFusez: {} }).join('\n')).toContain('additionalProperty');
  });

  it('builds a dmg and zip for both Mac architectures, a per-user NSIS installer with a Start menu entry, an AppImage and a deb', () => {
    expect(targetsOf(config.mac.target)).toEqual(['dmg:arm64', 'dmg:x64', 'zip:arm64', 'zip:x64']);
    expect(targetsOf(config.win.target).filter((target) => target.startsWith('nsis:'))).toContain('nsis:x64');
    expect(config.nsis).toMatchObject({ perMachine: false, allowElevation: false, createStartMenuShortcut: true });
    expect(targetsOf(config.linux.target)).toEqual(expect.arrayContaining(['AppImage:x64', 'deb:x64']));
  });

  it('names the product, its id, copyright and categories', () => {
    expect(config.productName).toBe('MCP Patchbay');
    expect(config.appId).toMatch(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/);
    expect(config.copyright).toMatch(/MCP Patchbay/);
    expect(config.mac.category).toBe('public.app-category.developer-tools');
    expect(config.linux.category).toBe('Development');
  });

  it('flips the fuses: no RunAsNode, no NODE_OPTIONS, no --inspect, encrypted cookies, asar only and checked', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
  });

  it('ships the built app and the production dependencies, not the sources or the dev tools', () => {
    expect(config.files).toEqual(expect.arrayContaining(['out/**/*', 'package.json']));
    expect(config.files.some((pattern) => /^src-|^e2e|^bench/.test(pattern))).toBe(false);
    const manifest = JSON.parse(read('package.json')) as { dependencies: Record<string, string>; devDependencies: Record<string, string>; scripts: Record<string, string> };
    // electron-builder refuses an app that lists electron (or itself) as a runtime dependency.
    for (const tool of ['electron', 'electron-builder', 'electron-vite', 'vite', 'react', 'zustand']) {
      expect(manifest.dependencies[tool], tool).toBeUndefined();
      expect(manifest.devDependencies[tool], tool).toBeDefined();
    }
    expect(manifest.scripts.dist).toBe('tsx src-main/cli/desktop.ts dist');
    expect(manifest.scripts['dist:dir']).toBe('tsx src-main/cli/desktop.ts dist --dir');
  });

  it('has an icon for every platform: a 1024×1024 PNG, an icns and an ico', () => {
    expect(pngSize(readFileSync(`${ROOT}${config.icon}`))).toEqual({ width: 1024, height: 1024 });
    expect(config.linux.icon).toBe('build/icon.png');
    expect(readFileSync(`${ROOT}${config.mac.icon}`).subarray(0, 4).toString('latin1')).toBe('icns');
    const ico = readFileSync(`${ROOT}${config.win.icon}`);
    expect([ico.readUInt16LE(0), ico.readUInt16LE(2)]).toEqual([0, 1]); // reserved, type 1 = icon
    expect(ico.readUInt16LE(4)).toBeGreaterThanOrEqual(4); // several sizes
    expect(read(config.mac.entitlements)).toContain('com.apple.security.cs.allow-jit');
  });

  it('offers "Open With" for .json, .jsonc, .yaml and .yml without ever claiming to be their default app', () => {
    const extensions = ['json', 'jsonc', 'yaml', 'yml'];
    expect(config.mac.fileAssociations.flatMap((association) => association.ext).sort()).toEqual([...extensions].sort());
    for (const association of config.mac.fileAssociations) expect(association).toMatchObject({ role: 'Viewer', rank: 'Alternate' });
    expect(config.linux.fileAssociations.flatMap((association) => association.ext).sort()).toEqual([...extensions].sort());
    expect(config.linux.fileAssociations.map((association) => association.mimeType).sort()).toEqual(['application/json', 'application/yaml']);
    // electron-builder's Windows associations write each extension's default handler: Windows uses the installer
    // include instead, which adds the app to OpenWithProgids only.
    expect(config.fileAssociations).toBeUndefined();
    expect(config.win.fileAssociations).toBeUndefined();
    const installer = read(config.nsis.include);
    for (const extension of extensions) expect(installer).toContain(`!insertmacro patchbayOpenWith "${extension}"`);
    expect(installer).toContain('\\OpenWithProgids"');
    expect(installer).not.toMatch(/WriteRegStr\s+\S+\s+"Software\\Classes\\\.\$\{EXT\}"\s+""/);
    expect(installer).toContain('!macro customUnInstall');
  });
});

describe('the GitHub workflows', () => {
  const workflows = ['ci.yml', 'release.yml'] as const;

  it.each(workflows)('%s is a valid workflow', (name) => {
    const state = validateWorkflow(read(`.github/workflows/${name}`));
    expect(state.errors).toEqual([]);
  });

  it('the validator bites', () => {
    expect(validateWorkflow('on: push\njobs:\n  test:\n    steps: 3\n').errors.length).toBeGreaterThan(0);
  });

  it('CI runs npm test on ubuntu (under xvfb), macOS and Windows with the Electron binary installed', () => {
    const ci = parse(read('.github/workflows/ci.yml')) as { jobs: { test: { strategy: { matrix: { os: string[] } }; steps: Array<{ run?: string }> } } };
    expect(ci.jobs.test.strategy.matrix.os).toEqual(['ubuntu-latest', 'macos-latest', 'windows-latest']);
    const runs = ci.jobs.test.steps.map((step) => step.run ?? '');
    expect(runs).toEqual(expect.arrayContaining(['npm ci', 'npx install-electron', 'npm test']));
    expect(runs.some((run) => run.startsWith('xvfb-run') && run.endsWith('npm test'))).toBe(true);
  });

  it('a version tag builds the installers on the three platforms and attaches them to a release', () => {
    const release = parse(read('.github/workflows/release.yml')) as {
      on: { push: { tags: string[] } };
      jobs: { installers: { strategy: { matrix: { os: string[] } }; steps: Array<{ run?: string; env?: Record<string, string> }> }; release: { steps: Array<{ run?: string }> } };
    };
    expect(release.on.push.tags).toEqual(['v*.*.*']);
    expect([...release.jobs.installers.strategy.matrix.os].sort()).toEqual(['macos-latest', 'ubuntu-latest', 'windows-latest']);
    const build = release.jobs.installers.steps.find((step) => step.run === 'npm run dist');
    expect(Object.keys(build?.env ?? {})).toEqual(expect.arrayContaining(['CSC_LINK', 'APPLE_ID', 'APPLE_APP_SPECIFIC_PASSWORD', 'APPLE_TEAM_ID']));
    expect(release.jobs.release.steps.some((step) => step.run?.includes('gh release create'))).toBe(true);
  });
});
