import type { ServerEntry } from '../../../src-shared/catalog';
import type { JsonObject } from './json-values';

/** The config formats Patchbay reads, named by the shape it recognised. */
export type ConfigFormatId = 'mcp-servers' | 'vscode-mcp' | 'vscode-settings';

/** What reading one server's settings gave: a catalog entry, or a sentence saying why not. */
export type ServerOutcome = { ok: true; entry: ServerEntry } | { ok: false; message: string };

/**
 * One host config format. Detection is by shape: `locateServers` returns where the format keeps its servers, or
 * undefined when the document does not have the format's shape at all.
 */
export interface ConfigFormat {
  readonly id: ConfigFormatId;
  /** The key that holds the servers, as messages quote it: `"mcpServers"`. */
  readonly serversKey: string;
  /** Which hosts write it, for messages and the CLI: "Claude Desktop, Cursor, Claude Code". */
  readonly hosts: string;
  /** The value found where this format keeps its servers, or undefined when the document is not this format. */
  locateServers(document: JsonObject): unknown;
  /** Reads one server's settings (the value under its name) into a catalog entry. */
  readServer(name: string, settings: unknown): ServerOutcome;
}
