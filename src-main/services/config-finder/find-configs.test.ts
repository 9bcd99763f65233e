import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configLocations, type FinderContext } from './config-locations';
import { findConfigs, type FinderFileSystem, type LocatedConfig } from './find-configs';
import { finderContextFor } from './finder-context';

// Fake home folders laid out as each OS lays out the hosts' files; the real home is never looked at.

const claudeDesktop = JSON.stringify({ mcpServers: { memory: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-memory'] } } });
const cursor = JSON.stringify({ mcpServers: { docs: { url: 'https://docs.example.com/mcp' }, fs: { command: 'npx' } } });
const vscodeMcp = JSON.stringify({ servers: { github: { type: 'http', url: 'https://api.githubcopilot.com/mcp/' } } });
const vscodeSettingsWithoutMcp = JSON.stringify({ 'editor.fontSize': 14 });
const claudeJson = JSON.stringify({ numStartups: 1, projects: { '/p': { mcpServers: { db: { command: 'db' } } } } });
const gooseYaml = 'extensions:\n  fetch:\n    type: stdio\n    cmd: uvx\n    args: [mcp-server-fetch]\n    enabled: true\n';
const continueBlock = 'name: Playwright\nversion: 0.0.1\nschema: v1\nmcpServers:\n  - name: playwright\n    command: npx\n    args: ["@playwright/mcp@latest"]\n';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'patchbay-finder-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function layOut(base: string, files: Record<string, string>): Promise<void> {
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(base, path)), { recursive: true });
    await writeFile(join(base, path), text);
  }
}

const found = (configs: LocatedConfig[]) => configs.filter((config) => config.exists).map(({ host, label, path, servers, problem }) => ({ host, label, path, servers, problem }));

describe('findConfigs on a macOS home', () => {
  it('finds Claude Desktop in Application Support, Cursor, VS Code user and workspace files, Goose in ~/.config', async () => {
    const home = join(root, 'Users', 'me');
    const project = join(root, 'code', 'app');
    await layOut(home, {
      'Library/Application Support/Claude/claude_desktop_config.json': claudeDesktop,
      '.cursor/mcp.json': cursor,
      'Library/Application Support/Code/User/mcp.json': vscodeMcp,
      'Library/Application Support/Code/User/settings.json': vscodeSettingsWithoutMcp,
      '.config/goose/config.yaml': gooseYaml,
    });
    await layOut(project, { '.vscode/mcp.json': vscodeMcp, '.continue/mcpServers/playwright.yaml': continueBlock, '.continue/mcpServers/notes.txt': 'x' });
    const configs = await findConfigs({ home, platform: 'darwin', env: {}, workingFolders: [project] });
    expect(found(configs)).toEqual([
      { host: 'Claude Desktop', label: 'claude_desktop_config.json', path: join(home, 'Library/Application Support/Claude/claude_desktop_config.json'), servers: 1, problem: undefined },
      { host: 'Cursor', label: 'global ~/.cursor/mcp.json', path: join(home, '.cursor/mcp.json'), servers: 2, problem: undefined },
      { host: 'VS Code', label: 'user mcp.json', path: join(home, 'Library/Application Support/Code/User/mcp.json'), servers: 1, problem: undefined },
      { host: 'VS Code', label: 'user settings.json', path: join(home, 'Library/Application Support/Code/User/settings.json'), servers: undefined, problem: 'no MCP servers in it' },
      { host: 'Goose', label: 'config.yaml', path: join(home, '.config/goose/config.yaml'), servers: 1, problem: undefined },
      { host: 'VS Code', label: 'workspace .vscode/mcp.json', path: join(project, '.vscode/mcp.json'), servers: 1, problem: undefined },
      { host: 'Continue', label: 'workspace .continue/mcpServers/playwright.yaml', path: join(project, '.continue/mcpServers/playwright.yaml'), servers: 1, problem: undefined },
    ]);
    // Every other known place was looked in and reported missing, with its path.
    expect(configs.filter((config) => !config.exists).map((config) => config.path)).toContain(join(home, '.claude.json'));
    expect(configs.filter((config) => !config.exists).map((config) => config.path)).toContain(join(project, '.mcp.json'));
  });
});

const codexToml = '[mcp_servers.context7]\ncommand = "npx"\nargs = ["-y", "@upstash/context7-mcp"]\n\n[mcp_servers.figma]\nurl = "https://mcp.figma.com/mcp"\n';

describe('findConfigs, Codex config.toml', () => {
  // Codex MCP docs (developers.openai.com/codex/mcp): ~/.codex/config.toml ($CODEX_HOME when set), and a trusted
  // project's .codex/config.toml.
  it.each([
    ['darwin', ['Users', 'me']],
    ['linux', ['home', 'me']],
  ] as const)('finds ~/.codex/config.toml and the project .codex/config.toml on %s', async (platform, homeParts) => {
    const home = join(root, ...homeParts);
    const project = join(root, 'code', 'app');
    await layOut(home, { '.codex/config.toml': codexToml });
    await layOut(project, { '.codex/config.toml': '[mcp_servers.local]\ncommand = "node"\n' });
    const configs = await findConfigs({ home, platform, env: {}, workingFolders: [project] });
    expect(found(configs).filter((config) => config.host === 'Codex')).toEqual([
      { host: 'Codex', label: 'config.toml', path: join(home, '.codex', 'config.toml'), servers: 2, problem: undefined },
      { host: 'Codex', label: 'project .codex/config.toml', path: join(project, '.codex', 'config.toml'), servers: 1, problem: undefined },
    ]);
  });

  it('looks in $CODEX_HOME instead of ~/.codex when it is set, and reports a broken TOML file', async () => {
    const home = join(root, 'home', 'me');
    const codexHome = join(root, 'codex-home');
    await layOut(codexHome, { 'config.toml': 'model = "o3"\n[mcp_servers.a\n' });
    await layOut(home, { '.codex/config.toml': codexToml });
    const configs = await findConfigs({ home, platform: 'linux', env: { CODEX_HOME: codexHome }, workingFolders: [] });
    const codex = found(configs).filter((config) => config.host === 'Codex');
    expect(codex.map(({ path, servers }) => [path, servers])).toEqual([[join(codexHome, 'config.toml'), undefined]]);
    expect(codex[0]?.problem).toMatch(/invalid TOML/);
  });
});

describe('findConfigs on a Linux home', () => {
  it('uses ~/.config (or XDG_CONFIG_HOME) for VS Code, Zed and Goose, and has no Claude Desktop location', async () => {
    const home = join(root, 'home', 'me');
    const xdg = join(root, 'xdg');
    await layOut(home, { '.claude.json': claudeJson, '.codeium/windsurf/mcp_config.json': JSON.stringify({ mcpServers: { w: { serverUrl: 'https://w.example/mcp' } } }), '.continue/config.yaml': continueBlock });
    await layOut(xdg, { 'Code/User/globalStorage/saoudrizwan.claude-dev/settings/cline_mcp_settings.json': JSON.stringify({ mcpServers: { c: { command: 'c' } } }), 'zed/settings.json': '{ "context_servers": { "z": { "command": "z" } } }' });
    const configs = await findConfigs({ home, platform: 'linux', env: { XDG_CONFIG_HOME: xdg }, workingFolders: [] });
    expect(found(configs).map(({ host, path, servers }) => [host, path, servers])).toEqual([
      ['Claude Code', join(home, '.claude.json'), 1],
      ['Windsurf', join(home, '.codeium/windsurf/mcp_config.json'), 1],
      ['Cline', join(xdg, 'Code/User/globalStorage/saoudrizwan.claude-dev/settings/cline_mcp_settings.json'), 1],
      ['Zed', join(xdg, 'zed/settings.json'), 1],
      ['Continue', join(home, '.continue/config.yaml'), 1],
    ]);
    expect(configs.some((config) => config.host === 'Claude Desktop')).toBe(false);
    expect(configLocations({ home: '/home/me', platform: 'linux', env: {}, workingFolders: [] }).find((location) => location.host === 'Goose')?.path).toBe('/home/me/.config/goose/config.yaml');
  });

  it('reports a file it cannot read as JSON with the reader\'s reason, and a folder where a file should be', async () => {
    const home = join(root, 'home', 'me');
    await layOut(home, { '.cursor/mcp.json': '{ "mcpServers": { ', '.claude.json/keep': '' });
    const configs = await findConfigs({ home, platform: 'linux', env: {}, workingFolders: [] });
    expect(found(configs)).toEqual([
      { host: 'Claude Code', label: 'user and local scope ~/.claude.json', path: join(home, '.claude.json'), servers: undefined, problem: 'this is not a file' },
      { host: 'Cursor', label: 'global ~/.cursor/mcp.json', path: join(home, '.cursor/mcp.json'), servers: undefined, problem: expect.stringContaining('invalid JSON') },
    ]);
  });
});

describe('findConfigs on a Windows home', () => {
  // The paths are Windows paths (C:\Users\me\AppData\Roaming\...); the fake file system maps them onto a folder here.
  const windowsFileSystem = (base: string): FinderFileSystem => {
    const local = (path: string) => join(base, ...path.replace(/^[A-Za-z]:/, '').split('\\'));
    return { stat: (path) => stat(local(path)), readFile: (path) => readFile(local(path)), readdir: (path) => readdir(local(path)) };
  };

  it('finds Claude Desktop, VS Code, Zed and Goose under %APPDATA% and the rest (Codex too) under %USERPROFILE%', async () => {
    await layOut(root, {
      'Users/me/AppData/Roaming/Claude/claude_desktop_config.json': claudeDesktop,
      'Users/me/AppData/Roaming/Code/User/mcp.json': vscodeMcp,
      'Users/me/AppData/Roaming/Zed/settings.json': '{ "context_servers": { "z": { "command": "z" } } }',
      'Users/me/AppData/Roaming/Block/goose/config/config.yaml': gooseYaml,
      'Users/me/.cursor/mcp.json': cursor,
      'Users/me/.claude.json': claudeJson,
      'Users/me/.codex/config.toml': codexToml,
      'work/site/.mcp.json': claudeDesktop,
      'work/site/.cursor/mcp.json': cursor,
    });
    const context: FinderContext = { home: 'C:\\Users\\me', platform: 'win32', env: { APPDATA: 'C:\\Users\\me\\AppData\\Roaming' }, workingFolders: ['C:\\work\\site'] };
    const configs = await findConfigs(context, windowsFileSystem(root));
    expect(found(configs).map(({ host, label, path, servers }) => [host, label, path, servers])).toEqual([
      ['Claude Desktop', 'claude_desktop_config.json', 'C:\\Users\\me\\AppData\\Roaming\\Claude\\claude_desktop_config.json', 1],
      ['Claude Code', 'user and local scope ~/.claude.json', 'C:\\Users\\me\\.claude.json', 1],
      ['Cursor', 'global ~/.cursor/mcp.json', 'C:\\Users\\me\\.cursor\\mcp.json', 2],
      ['VS Code', 'user mcp.json', 'C:\\Users\\me\\AppData\\Roaming\\Code\\User\\mcp.json', 1],
      ['Zed', 'settings.json', 'C:\\Users\\me\\AppData\\Roaming\\Zed\\settings.json', 1],
      ['Goose', 'config.yaml', 'C:\\Users\\me\\AppData\\Roaming\\Block\\goose\\config\\config.yaml', 1],
      ['Codex', 'config.toml', 'C:\\Users\\me\\.codex\\config.toml', 2],
      ['Claude Code', 'project .mcp.json', 'C:\\work\\site\\.mcp.json', 1],
      ['Cursor', 'project .cursor/mcp.json', 'C:\\work\\site\\.cursor\\mcp.json', 2],
    ]);
  });

  it('falls back to %USERPROFILE%\\AppData\\Roaming when APPDATA is not set', () => {
    const locations = configLocations({ home: 'C:\\Users\\me', platform: 'win32', env: {}, workingFolders: [] });
    expect(locations.find((location) => location.host === 'Claude Desktop')?.path).toBe('C:\\Users\\me\\AppData\\Roaming\\Claude\\claude_desktop_config.json');
    expect(locations.find((location) => location.host === 'Windsurf')?.path).toBe('C:\\Users\\me\\.codeium\\windsurf\\mcp_config.json');
  });
});

describe('finderContextFor', () => {
  it('honours PATCHBAY_FIND_CONFIGS_HOME only when asked (web mode), without the real environment', () => {
    const env = { PATCHBAY_FIND_CONFIGS_HOME: '/fake/home', PATCHBAY_FIND_CONFIGS_FOLDERS: '/fake/project', XDG_CONFIG_HOME: '/real/.config' };
    expect(finderContextFor(env, { honourFakeHome: true, cwd: '/repo', platform: 'linux' })).toEqual({ home: '/fake/home', platform: 'linux', env: {}, workingFolders: ['/fake/project'] });
    const real = finderContextFor(env, { honourFakeHome: false, cwd: '/repo', platform: 'linux' });
    expect(real.home).not.toBe('/fake/home');
    expect(real.workingFolders).toEqual(['/repo']);
  });
});
