import { posix, win32 } from 'node:path';

// Where each MCP host keeps its config files, by OS. Pure: the home folder, the platform, the environment and the
// working folders are parameters, so tests lay out fake homes and nothing here looks at the real machine.
//
// Sources (each host's own documentation):
// - Claude Desktop: "Connect to local MCP servers" (modelcontextprotocol.io/quickstart/user): macOS
//   ~/Library/Application Support/Claude/claude_desktop_config.json, Windows %APPDATA%\Claude\claude_desktop_config.json.
//   There is no Linux release, so no Linux path.
// - Claude Code: "Connect Claude Code to tools via MCP" (docs.claude.com/en/docs/claude-code/mcp), "MCP installation
//   scopes": user and local scope in ~/.claude.json, project scope in .mcp.json at the project's root.
// - Cursor: "Model Context Protocol" (cursor.com/docs/context/mcp), "Configuration locations": ~/.cursor/mcp.json
//   (global) and .cursor/mcp.json in the project.
// - VS Code: "Use MCP servers in VS Code" (code.visualstudio.com/docs/copilot/customization/mcp-servers): the user
//   profile's mcp.json and the workspace's .vscode/mcp.json; older releases kept servers under "mcp" in the user
//   settings.json. The user folder is the one "User and Workspace Settings" names: %APPDATA%\Code\User (Windows),
//   ~/Library/Application Support/Code/User (macOS), ~/.config/Code/User (Linux).
// - Windsurf: "Cascade MCP integration" (docs.windsurf.com/windsurf/cascade/mcp): ~/.codeium/windsurf/mcp_config.json.
// - Cline: "Configuring MCP servers" (docs.cline.bot/mcp/configuring-mcp-servers): cline_mcp_settings.json, kept in
//   the extension's global storage inside VS Code's user folder (globalStorage/saoudrizwan.claude-dev/settings/).
// - Zed: "Configuring Zed" (zed.dev/docs/configuring-zed): ~/.config/zed/settings.json on macOS and Linux
//   ($XDG_CONFIG_HOME/zed on Linux), %APPDATA%\Zed\settings.json on Windows; project settings in .zed/settings.json.
// - Continue: "config.yaml Reference" and "MCP" (docs.continue.dev): ~/.continue/config.yaml (%USERPROFILE%\.continue
//   on Windows), and block files in the workspace's .continue/mcpServers/ folder.
// - Goose: "Configuration Files" (block.github.io/goose/docs/guides/config-files): ~/.config/goose/config.yaml on
//   macOS and Linux, %APPDATA%\Block\goose\config\config.yaml on Windows.
// - Codex: "Model Context Protocol" (developers.openai.com/codex/mcp): ~/.codex/config.toml on every OS (the folder
//   is $CODEX_HOME when set), shared by the CLI and the IDE extension; a trusted project's .codex/config.toml.

/** The hosts Patchbay knows where to look for. */
export const CONFIG_HOSTS = ['Claude Desktop', 'Claude Code', 'Cursor', 'VS Code', 'Windsurf', 'Cline', 'Zed', 'Continue', 'Goose', 'Codex'] as const;
export type ConfigHost = (typeof CONFIG_HOSTS)[number];

/** One place a host keeps servers: a file, or a folder of block files (Continue's `.continue/mcpServers/`). */
export interface ConfigLocation {
  host: ConfigHost;
  /** `user`: the user's own file, for every project; `project`: a file in one of the working folders. */
  scope: 'user' | 'project';
  /** What the file is, for people: `user mcp.json`, `workspace .vscode/mcp.json`. */
  label: string;
  path: string;
  /** For a folder of config files: the extensions of the files in it that count. */
  folderOf?: readonly string[];
}

/** What the finder needs to know about the machine; passed in, never read from the real one here. */
export interface FinderContext {
  home: string;
  platform: NodeJS.Platform;
  /** The environment: `APPDATA` on Windows, `XDG_CONFIG_HOME` on Linux. */
  env: Readonly<Record<string, string | undefined>>;
  /** Folders whose project files count (the folder Patchbay was started in, say). */
  workingFolders: readonly string[];
}

/** Every place the known hosts keep their config on this OS, user files first, then each working folder's. */
export function configLocations(context: FinderContext): ConfigLocation[] {
  const windows = context.platform === 'win32';
  const mac = context.platform === 'darwin';
  const path = windows ? win32 : posix;
  const home = context.home;
  const appData = windows ? nonEmpty(context.env.APPDATA) ?? path.join(home, 'AppData', 'Roaming') : undefined;
  const xdgConfig = !windows && !mac ? nonEmpty(context.env.XDG_CONFIG_HOME) ?? path.join(home, '.config') : path.join(home, '.config');
  const vscodeUser = windows ? path.join(appData!, 'Code', 'User') : mac ? path.join(home, 'Library', 'Application Support', 'Code', 'User') : path.join(xdgConfig, 'Code', 'User');

  const user: ConfigLocation[] = [];
  const add = (host: ConfigHost, label: string, file: string) => user.push({ host, scope: 'user', label, path: file });
  if (mac) add('Claude Desktop', 'claude_desktop_config.json', path.join(home, 'Library', 'Application Support', 'Claude', 'claude_desktop_config.json'));
  if (windows) add('Claude Desktop', 'claude_desktop_config.json', path.join(appData!, 'Claude', 'claude_desktop_config.json'));
  add('Claude Code', 'user and local scope ~/.claude.json', path.join(home, '.claude.json'));
  add('Cursor', 'global ~/.cursor/mcp.json', path.join(home, '.cursor', 'mcp.json'));
  add('VS Code', 'user mcp.json', path.join(vscodeUser, 'mcp.json'));
  add('VS Code', 'user settings.json', path.join(vscodeUser, 'settings.json'));
  add('Windsurf', 'mcp_config.json', path.join(home, '.codeium', 'windsurf', 'mcp_config.json'));
  add('Cline', 'cline_mcp_settings.json', path.join(vscodeUser, 'globalStorage', 'saoudrizwan.claude-dev', 'settings', 'cline_mcp_settings.json'));
  add('Zed', 'settings.json', windows ? path.join(appData!, 'Zed', 'settings.json') : path.join(xdgConfig, 'zed', 'settings.json'));
  add('Continue', 'config.yaml', path.join(home, '.continue', 'config.yaml'));
  add('Goose', 'config.yaml', windows ? path.join(appData!, 'Block', 'goose', 'config', 'config.yaml') : path.join(xdgConfig, 'goose', 'config.yaml'));
  add('Codex', 'config.toml', path.join(nonEmpty(context.env.CODEX_HOME) ?? path.join(home, '.codex'), 'config.toml'));

  const project = unique(context.workingFolders).flatMap((folder): ConfigLocation[] => [
    { host: 'Claude Code', scope: 'project', label: 'project .mcp.json', path: path.join(folder, '.mcp.json') },
    { host: 'Cursor', scope: 'project', label: 'project .cursor/mcp.json', path: path.join(folder, '.cursor', 'mcp.json') },
    { host: 'VS Code', scope: 'project', label: 'workspace .vscode/mcp.json', path: path.join(folder, '.vscode', 'mcp.json') },
    { host: 'Zed', scope: 'project', label: 'project .zed/settings.json', path: path.join(folder, '.zed', 'settings.json') },
    { host: 'Continue', scope: 'project', label: 'workspace .continue/mcpServers/', path: path.join(folder, '.continue', 'mcpServers'), folderOf: ['.yaml', '.yml', '.json'] },
    { host: 'Codex', scope: 'project', label: 'project .codex/config.toml', path: path.join(folder, '.codex', 'config.toml') },
  ]);
  return [...user, ...project];
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

function unique(folders: readonly string[]): string[] {
  return [...new Set(folders.filter((folder) => folder.trim() !== ''))];
}
