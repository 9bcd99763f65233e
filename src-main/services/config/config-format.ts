import type { ServerEntry } from '../../../src-shared/catalog';
import type { DocumentSyntax } from './document-syntax';
import type { JsonObject } from './json-values';
import type { InputDefinition } from './vscode-inputs';

/** The config formats Patchbay reads, named by the shape it recognised. */
export type ConfigFormatId = 'mcp-servers' | 'windsurf' | 'cline' | 'vscode-mcp' | 'vscode-settings' | 'zed' | 'continue' | 'goose' | 'codex';

/** One server as the file has it: the name messages give it (its key, or for a list its `name`), and its settings. */
export interface ListedServer {
  server: string;
  settings: unknown;
  /** For a file that keeps servers in several places (Claude Code's scopes): which one, for the preview to group by. */
  group?: string;
}

/**
 * What reading one server's settings gave: a catalog entry (with sentences about what was assumed or left out),
 * or a sentence saying why not.
 */
export type ServerOutcome = { ok: true; entry: ServerEntry; warnings: string[] } | { ok: false; message: string };

/** What a format reads from a document besides its servers: VS Code's inputs, notes about what was left out. */
export interface DocumentExtras {
  inputs: InputDefinition[];
  /** Sentences about the file as a whole, for example a setting that was not read. */
  warnings: string[];
}

/** Why a document was taken for a dialect, and how sure that is. */
export interface DialectEvidence {
  /** `shape`: a setting only this host writes; `file-name`: only the file's name says so. Shape wins. */
  by: 'shape' | 'file-name';
  /** The end of a sentence starting "because": `server "docs" uses "serverUrl"`. */
  because: string;
}

/**
 * One host config format. Detection is by shape: `locateServers` returns where the format keeps its servers, or
 * undefined when the document does not have the format's shape at all. The servers are an object of name →
 * settings, or a list of settings that carry their own name (`nameListItem`).
 *
 * A dialect shares its servers key with a more general format (`refines`), as Windsurf and Cline share
 * `"mcpServers"` with Claude Desktop: it is chosen over the general format only when `recognise` finds evidence.
 */
export interface ConfigFormat {
  readonly id: ConfigFormatId;
  /** The key that holds the servers, as messages quote it: `"mcpServers"`. */
  readonly serversKey: string;
  /** Which hosts write it, for messages and the CLI: "Claude Desktop, Cursor, Claude Code". */
  readonly hosts: string;
  /**
   * The syntax the host writes the file in: JSON when left out. Detection does not use it (a Claude Desktop file
   * written as YAML still reads); it only narrows the formats a file with no servers is told it could have been.
   */
  readonly writtenIn?: DocumentSyntax;
  /** The general format this one is a dialect of; undefined for a format of its own. */
  readonly refines?: ConfigFormatId;
  /** The value found where this format keeps its servers, or undefined when the document is not this format. */
  locateServers(document: JsonObject): unknown;
  /**
   * For a format that keeps its servers in a list rather than an object of name → settings (Continue's
   * `mcpServers:`): the name an item goes by in messages, before its settings are read (`item 3` when it has none).
   * Formats whose servers are an object leave this out.
   */
  nameListItem?(item: unknown, index: number): string;
  /**
   * For a list format: whether an item carries its own name. A list where no item does is not this format's
   * (Continue's items all have a `name`): detection says what shape was expected instead of guessing names.
   */
  itemHasName?(item: unknown): boolean;
  /**
   * For a format that keeps servers in more places than its servers key (Claude Code's ~/.claude.json, per
   * project): every server of the document. Without it, the servers object is listed as it is.
   */
  listServers?(document: JsonObject, servers: JsonObject): ListedServer[];
  /** For a dialect: what in the servers (or the file's name) shows the document is this dialect. */
  recognise?(servers: JsonObject, fileName: string): DialectEvidence | undefined;
  /** Reads one server's settings (the value under its name) into a catalog entry. */
  readServer(name: string, settings: unknown): ServerOutcome;
  /** Reads what the document holds besides its servers; formats without extras leave this out. */
  readExtras?(document: JsonObject): DocumentExtras;
}
