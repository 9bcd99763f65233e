import { readFile, stat } from 'node:fs/promises';
import type { ServerEntry } from '../../../src-shared/catalog';
import type { ConfigFormatId } from './config-format';
import { ConfigFileError } from './config-file-error';
import { detectFormat } from './detect-format';
import { decodeConfigBytes, parseJsoncDocument } from './jsonc-document';

/** One server entry that could not be read; the other entries are still used. */
export interface ConfigProblem {
  /** The server's name as written in the file. */
  server: string;
  /** A sentence naming the server and what is wrong with it. */
  message: string;
}

/** The catalog entries read from a config file, and the entries that were skipped. */
export interface ConfigReadResult {
  /** Which format the file was recognised as. */
  format: ConfigFormatId;
  /** Valid entries in file order, disabled ones included (with `disabled: true`). */
  entries: ServerEntry[];
  problems: ConfigProblem[];
}

/** Config files are small; a huge one is almost certainly the wrong file. */
export const MAX_CONFIG_BYTES = 10 * 1024 * 1024;

/**
 * Reads the text of an MCP host config file into catalog entries. One bad entry becomes a problem and does not
 * hide the good ones; placeholders such as `${env:TOKEN}` are kept verbatim.
 * @param file the file name used in messages.
 * @throws ConfigFileError when the file as a whole cannot be used (empty, binary, invalid JSON, no servers).
 */
export function parseConfigText(text: string, file: string): ConfigReadResult {
  const { format, servers } = detectFormat(parseJsoncDocument(text, file), file);
  const entries: ServerEntry[] = [];
  const problems: ConfigProblem[] = [];
  const taken = new Set<string>();
  for (const [server, settings] of Object.entries(servers)) {
    const outcome = format.readServer(server, settings);
    if (!outcome.ok) {
      problems.push({ server, message: outcome.message });
    } else if (taken.has(outcome.entry.name)) {
      // Names are trimmed, so " x" and "x" collide; the catalog needs unique names.
      problems.push({ server, message: `server "${server}": the name "${outcome.entry.name}" is already used by another server` });
    } else {
      taken.add(outcome.entry.name);
      entries.push(outcome.entry);
    }
  }
  return { format: format.id, entries, problems };
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
  let bytes: Buffer;
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw new ConfigFileError(path, 'this is a directory, not a config file');
    if (info.isFile() && info.size > MAX_CONFIG_BYTES) {
      throw new ConfigFileError(path, `the file is ${Math.ceil(info.size / 1024 / 1024)} MiB; a config file is at most ${MAX_CONFIG_BYTES / 1024 / 1024} MiB`);
    }
    bytes = await readFile(path);
  } catch (error) {
    if (error instanceof ConfigFileError) throw error;
    throw new ConfigFileError(path, `cannot read the file: ${describeReadError(error)}`, undefined, { cause: error });
  }
  return parseConfigBytes(bytes, path);
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
