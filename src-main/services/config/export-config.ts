import type { RemoteServerEntry, ServerEntry, StdioServerEntry } from '../../../src-shared/catalog';
import type { InputDefinition } from '../../../src-shared/inputs';
import type { JsonObject } from './json-values';
import { parsePlaceholders, type Placeholder } from './placeholders';

/** The hosts Patchbay writes config files for. */
export type ExportTarget = 'claude-desktop' | 'cursor' | 'vscode';

/** A config file written for a host: its text, the name the host gives it, and what the host will not honour. */
export interface ExportedConfig {
  target: ExportTarget;
  /** The file name the host reads: claude_desktop_config.json, or mcp.json in .cursor/ or .vscode/. */
  fileName: string;
  /** JSON with two-space indents and a final newline, as the hosts write it. */
  text: string;
  /** One sentence per thing the host will not do as Patchbay does (a remote server in Claude Desktop, ...). */
  warnings: string[];
}

interface TargetRules {
  host: string;
  fileName: string;
  /** The top-level key the servers go under. */
  serversKey: string;
  /** Whether the host writes `"type": "stdio"` for local servers. */
  typedStdio: boolean;
  /** How a remote server is written; every form reads back into the same catalog entry. */
  remote: (entry: RemoteServerEntry) => JsonObject;
  /** Whether the host fills this placeholder in; the others are named in warnings. */
  fillsIn: (placeholder: Placeholder) => boolean;
  /** A warning for a remote server, when the host cannot use one from this file. */
  remoteWarning?: (name: string) => string;
}

/** Cursor fills in these variables besides `${env:NAME}`. */
const CURSOR_VARIABLES = new Set(['userHome', 'workspaceFolder', 'workspaceFolderBasename', 'pathSeparator', '/']);

const TARGETS: Readonly<Record<ExportTarget, TargetRules>> = {
  'claude-desktop': {
    host: 'Claude Desktop',
    fileName: 'claude_desktop_config.json',
    serversKey: 'mcpServers',
    typedStdio: false,
    // Claude Code's spelling: it reads back as the same remote entry, though Claude Desktop starts only commands.
    remote: (entry) => ({ type: entry.transport === 'sse' ? 'sse' : 'http', url: entry.url }),
    fillsIn: () => false,
    remoteWarning: (name) =>
      `server "${name}" is a remote server, but Claude Desktop's config file starts only local (stdio) servers: it is written as { "type", "url" } so it imports back into Patchbay, and Claude Desktop will not connect to it (add it there as a connector, or through a stdio bridge such as mcp-remote)`,
  },
  cursor: {
    host: 'Cursor',
    fileName: 'mcp.json',
    serversKey: 'mcpServers',
    typedStdio: false,
    // Cursor takes a url without a type for Streamable HTTP; SSE needs saying.
    remote: (entry) => (entry.transport === 'sse' ? { type: 'sse', url: entry.url } : { url: entry.url }),
    fillsIn: (placeholder) => placeholder.text.startsWith('${env:') || (placeholder.kind === 'variable' && CURSOR_VARIABLES.has(placeholder.name)),
  },
  vscode: {
    host: 'VS Code',
    fileName: 'mcp.json',
    serversKey: 'servers',
    typedStdio: true,
    remote: (entry) => ({ type: entry.transport === 'sse' ? 'sse' : 'http', url: entry.url }),
    fillsIn: (placeholder) => placeholder.kind === 'input' || placeholder.kind === 'variable' || placeholder.text.startsWith('${env:'),
  },
};

/**
 * Writes catalog entries as the config file a host reads: Claude Desktop's `mcpServers`, Cursor's `mcpServers` or
 * VS Code's `servers` (with an `inputs` entry for every `${input:id}` used). Reading the text back with
 * `parseConfigText` gives the same entries (`disabled: false` comes back as absent). What the host will not honour
 * — a remote server in Claude Desktop, a `disabled` flag, a placeholder it does not fill in — is kept in the file
 * and named in `warnings`.
 */
export function exportCatalog(entries: readonly ServerEntry[], target: ExportTarget): ExportedConfig {
  const rules = TARGETS[target];
  // Pairs, not assignments: a server named "__proto__" must become a key, not a prototype.
  const servers: Array<[string, JsonObject]> = [];
  const warnings: string[] = [];
  const inputIds: string[] = [];
  const definitions = new Map<string, InputDefinition>();

  for (const entry of entries) {
    const settings = entry.transport === 'stdio' ? writeStdio(entry, rules) : writeRemote(entry, rules);
    if (entry.transport !== 'stdio' && rules.remoteWarning) warnings.push(rules.remoteWarning(entry.name));
    if (entry.disabled) {
      settings.disabled = true;
      warnings.push(`server "${entry.name}" is disabled, but ${rules.host} has no documented "disabled" setting: it is written as "disabled": true so it imports back disabled, and ${rules.host} may start it anyway`);
    }
    servers.push([entry.name, settings]);
    for (const input of entry.inputs ?? []) if (!definitions.has(input.id)) definitions.set(input.id, input);
    const unfilled = new Set<string>();
    for (const placeholder of placeholdersOf(entry)) {
      if (placeholder.kind === 'input' && !inputIds.includes(placeholder.name)) inputIds.push(placeholder.name);
      if (!rules.fillsIn(placeholder)) unfilled.add(placeholder.text);
    }
    if (unfilled.size > 0) {
      warnings.push(`server "${entry.name}" uses ${[...unfilled].join(', ')}, which ${rules.host} does not fill in: it will pass ${unfilled.size === 1 ? 'it' : 'them'} on as written`);
    }
  }

  const document: JsonObject = { [rules.serversKey]: Object.fromEntries(servers) };
  // VS Code asks for an input only when the file defines it: the definitions imported with the servers go back as
  // they were (never an answer); an input no definition describes gets a password prompt named by its id.
  if (target === 'vscode' && inputIds.length > 0) {
    document.inputs = inputIds.map((id) => {
      const definition = definitions.get(id);
      return definition ? ({ ...definition } as JsonObject) : { type: 'promptString', id, description: id, password: true };
    });
  }
  return { target, fileName: rules.fileName, text: `${JSON.stringify(document, null, 2)}\n`, warnings };
}

function writeStdio(entry: StdioServerEntry, rules: TargetRules): JsonObject {
  const settings: JsonObject = rules.typedStdio ? { type: 'stdio' } : {};
  settings.command = entry.command;
  if (entry.args.length > 0) settings.args = [...entry.args];
  if (Object.keys(entry.env).length > 0) settings.env = { ...entry.env };
  if (entry.cwd !== undefined) settings.cwd = entry.cwd;
  return settings;
}

function writeRemote(entry: RemoteServerEntry, rules: TargetRules): JsonObject {
  const settings = rules.remote(entry);
  if (Object.keys(entry.headers).length > 0) settings.headers = { ...entry.headers };
  return settings;
}

function placeholdersOf(entry: ServerEntry): Placeholder[] {
  const values =
    entry.transport === 'stdio'
      ? [entry.command, ...entry.args, ...Object.values(entry.env), ...(entry.cwd === undefined ? [] : [entry.cwd])]
      : [entry.url, ...Object.values(entry.headers)];
  return values.flatMap(parsePlaceholders);
}
