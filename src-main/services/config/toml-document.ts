import { parse, TomlError } from 'smol-toml';
import { ConfigFileError } from './config-file-error';
import { binaryFileError } from './jsonc-document';

const BYTE_ORDER_MARK = '\uFEFF';

/**
 * Parses the text of a TOML config file (Codex's `~/.codex/config.toml`) with smol-toml, checking what the JSON and
 * YAML readers check: not empty, not binary, a syntax error reported with its line and column. TOML's top level is
 * always a table, so there is no shape to refuse here; detection looks for the servers key.
 * @param file the file name used in error messages.
 * @throws ConfigFileError for an empty or binary file or a syntax error.
 */
export function parseTomlDocument(text: string, file: string): Record<string, unknown> {
  const body = text.startsWith(BYTE_ORDER_MARK) ? text.slice(BYTE_ORDER_MARK.length) : text;
  if (body.includes('\u0000')) throw binaryFileError(file);
  if (body.trim() === '') throw new ConfigFileError(file, 'the file is empty; expected a TOML file with [mcp_servers.<name>] tables');
  try {
    return parse(body) as Record<string, unknown>;
  } catch (error) {
    if (!(error instanceof TomlError)) throw error;
    throw new ConfigFileError(file, `invalid TOML: ${describeTomlError(error)}`, { line: error.line, column: error.column }, { cause: error });
  }
}

/** smol-toml's message without its "Invalid TOML document:" prefix and the code excerpt it appends. */
function describeTomlError(error: TomlError): string {
  const firstLine = error.message.split('\n')[0] ?? error.message;
  return firstLine.replace(/^Invalid TOML document:\s*/, '');
}
