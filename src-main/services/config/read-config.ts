import { readFile, stat } from 'node:fs/promises';
import type { ServerEntry } from '../../../src-shared/catalog';
import type { ConfigFormatId } from './config-format';
import { ConfigFileError } from './config-file-error';
import { detectFormat } from './detect-format';
import { syntaxForFileName } from './document-syntax';
import { binaryFileError, decodeConfigBytes, parseJsoncDocument } from './jsonc-document';
import { parseTomlDocument } from './toml-document';
import { parseYamlDocument } from './yaml-document';
import { withInputDefinitions, type InputDefinition } from './vscode-inputs';

/** One server entry that could not be read; the other entries are still used. */
export interface ConfigProblem {
  /** The server's name as written in the file. */
  server: string;
  /** A sentence naming the server and what is wrong with it. */
  message: string;
}

/** Something assumed or left out while reading: the entry (or file) was still used. */
export interface ConfigWarning {
  /** The server's name as written in the file; undefined for a note about the file as a whole. */
  server?: string;
  /** A sentence naming the server (if any) and what was assumed or left out. */
  message: string;
}

/** The catalog entries read from a config file, and the entries that were skipped. */
export interface ConfigReadResult {
  /** Which format the file was recognised as. */
  format: ConfigFormatId;
  /** One sentence saying which format was taken and why, for people. */
  detection: string;
  /** Valid entries in file order, disabled ones included (with `disabled: true`). */
  entries: ServerEntry[];
  problems: ConfigProblem[];
  /** Notes about entries that were read (a url without a type, an envFile left out) and about the file. */
  warnings: ConfigWarning[];
  /** VS Code's input definitions, which describe the `${input:id}` placeholders; empty for other formats. */
  inputs: InputDefinition[];
  /**
   * For a file that keeps servers in several places (Claude Code's ~/.claude.json: user scope and each project),
   * the group of each entry, by entry name. Absent for other files.
   */
  groups?: Record<string, string>;
}

/** Config files are small; a huge one is almost certainly the wrong file. */
export const MAX_CONFIG_BYTES = 10 * 1024 * 1024;

/**
 * Reads the text of an MCP host config file into catalog entries. One bad entry becomes a problem and does not
 * hide the good ones; placeholders such as `${env:TOKEN}` are kept verbatim.
 * @param file the file name used in messages; its extension chooses JSON or YAML (see `parseConfigDocument`).
 * @throws ConfigFileError when the file as a whole cannot be used (empty, binary, invalid JSON or YAML, no servers).
 */
export function parseConfigText(text: string, file: string): ConfigReadResult {
  const document = parseConfigDocument(text, file);
  const { format, listed, detection } = detectFormat(document, file);
  const entries: ServerEntry[] = [];
  const problems: ConfigProblem[] = [];
  const warnings: ConfigWarning[] = [];
  const taken = new Set<string>();
  const groups: Record<string, string> = {};
  for (const { server, settings, group } of listed) {
    const outcome = format.readServer(server, settings);
    if (!outcome.ok) {
      problems.push({ server, message: outcome.message });
    } else if (taken.has(outcome.entry.name)) {
      // Names are trimmed, so " x" and "x" collide; the catalog needs unique names.
      problems.push({ server, message: `server "${server}": the name "${outcome.entry.name}" is already used by another server` });
    } else {
      taken.add(outcome.entry.name);
      entries.push(outcome.entry);
      if (group !== undefined) groups[outcome.entry.name] = group;
      for (const message of outcome.warnings) warnings.push({ server, message });
    }
  }
  // detectFormat has checked that the document is an object.
  const extras = format.readExtras?.(document as Record<string, unknown>) ?? { inputs: [], warnings: [] };
  for (const message of extras.warnings) warnings.push({ message });
  // Each server keeps the definitions of the inputs it uses, so it can be asked for them when it starts.
  if (extras.inputs.length > 0) {
    entries.forEach((entry, index) => {
      const notes: string[] = [];
      entries[index] = withInputDefinitions(entry, extras.inputs, notes);
      for (const message of notes) warnings.push({ server: entry.name, message });
    });
  }
  const result: ConfigReadResult = { format: format.id, detection, entries, problems, warnings, inputs: extras.inputs };
  if (listed.some((item) => item.group !== undefined)) result.groups = groups;
  return result;
}

/**
 * Parses a config file's text as JSON (with comments), YAML or TOML, by the file's extension: `.yaml` and `.yml`
 * are YAML, `.toml` TOML (Codex), any other extension JSON. A name without an extension (pasted text) is tried as JSON first, then as YAML;
 * when both fail, the error reported is JSON's for text that starts like JSON (`{` or `[`), else YAML's.
 * @throws ConfigFileError for an empty or binary file or a syntax error (with its line and column); for YAML, also
 * for a top level that is not a mapping (for JSON, `detectFormat` says so).
 */
export function parseConfigDocument(text: string, file: string): unknown {
  const syntax = syntaxForFileName(file);
  if (syntax === 'yaml') return parseYamlDocument(text, file);
  if (syntax === 'toml') return parseTomlDocument(text, file);
  if (syntax === 'json') return parseJsoncDocument(text, file);

  const body = text.replace(/^\uFEFF/, '');
  if (body.includes('\u0000')) throw binaryFileError(file);
  if (body.trim() === '') throw new ConfigFileError(file, 'the file is empty; expected JSON or YAML with MCP servers');
  let jsonError: ConfigFileError;
  try {
    return parseJsoncDocument(body, file);
  } catch (error) {
    if (!(error instanceof ConfigFileError)) throw error;
    jsonError = error;
  }
  try {
    return parseYamlDocument(body, file);
  } catch (error) {
    if (!(error instanceof ConfigFileError)) throw error;
    throw /^\s*[{[]/.test(body) ? jsonError : error;
  }
}

/**
 * Like `parseConfigText`, from the file's bytes: detects binary content and decodes UTF-8 or UTF-16.
 * @throws ConfigFileError as `parseConfigText` does.
 */
export function parseConfigBytes(bytes: Uint8Array, file: string): ConfigReadResult {
  return parseConfigText(decodeConfigBytes(bytes, file), file);
}

/**
 * Reads an MCP host config file from disk into catalog entries.
 * @param path the file; messages name it as given.
 * @throws ConfigFileError when the file cannot be read or used as a whole.
 */
export async function readConfigFile(path: string): Promise<ConfigReadResult> {
  return parseConfigBytes(await readConfigBytes(path), path);
}

/**
 * Reads a config file's bytes, refusing directories and files over `maxBytes` before reading them.
 * @throws ConfigFileError naming the file and why it cannot be read.
 */
export async function readConfigBytes(path: string, maxBytes: number = MAX_CONFIG_BYTES): Promise<Buffer> {
  let bytes: Buffer;
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw new ConfigFileError(path, 'this is a directory, not a config file');
    if (info.isFile() && info.size > maxBytes) throw tooLargeError(path, info.size, maxBytes);
    bytes = await readFile(path);
  } catch (error) {
    if (error instanceof ConfigFileError) throw error;
    throw new ConfigFileError(path, `cannot read the file: ${describeReadError(error)}`, undefined, { cause: error });
  }
  // The file may have grown between stat and read, or not be a regular file at all (a pipe).
  if (bytes.length > maxBytes) throw tooLargeError(path, bytes.length, maxBytes);
  return bytes;
}

/** The error for a file over the size limit, in the unit people read sizes in. */
export function tooLargeError(path: string, size: number, maxBytes: number): ConfigFileError {
  return new ConfigFileError(path, `the file is ${describeSize(size)}; a config file is at most ${describeSize(maxBytes)}`);
}

/** Rounded up to a tenth, so a size just over a limit never reads as the limit itself. */
function describeSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const [amount, unit] = bytes >= 1024 * 1024 ? [bytes / 1024 / 1024, 'MiB'] : [bytes / 1024, 'KiB'];
  return `${Math.ceil(amount * 10) / 10} ${unit}`;
}

function describeReadError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return 'it does not exist';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOTDIR':
      return 'a part of the path is not a directory';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}
