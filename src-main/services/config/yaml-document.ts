import { parseDocument, type YAMLError } from 'yaml';
import { ConfigFileError } from './config-file-error';
import { binaryFileError, locationOf } from './jsonc-document';
import { isJsonObject } from './json-values';

const BYTE_ORDER_MARK = '\uFEFF';

/** Aliases a document may expand; far above what a config needs, far below what a "billion laughs" file asks. */
const MAX_ALIAS_COUNT = 100;

/**
 * Parses the text of a YAML config file (Continue's config.yaml, Goose's config.yaml) into plain values, checking
 * what the JSON reader checks: not empty, not binary, a syntax error reported with its line and column, and a
 * mapping at the top level. YAML 1.2 as the hosts read it: `yes`/`no` stay strings, anchors and `<<` merge keys
 * are expanded, a key written twice is an error.
 * @param file the file name used in error messages.
 * @returns the top-level mapping as a plain object.
 * @throws ConfigFileError for an empty or binary file, a syntax error, or a top level that is not a mapping.
 */
export function parseYamlDocument(text: string, file: string): Record<string, unknown> {
  const body = text.startsWith(BYTE_ORDER_MARK) ? text.slice(BYTE_ORDER_MARK.length) : text;
  if (body.includes('\u0000')) throw binaryFileError(file);
  if (body.trim() === '') throw new ConfigFileError(file, 'the file is empty; expected a YAML mapping with MCP servers');

  const document = parseDocument(body, { prettyErrors: false, merge: true });
  // Only the first error is reported: the ones after it are mostly the parser recovering from it.
  const first = document.errors[0];
  if (first) throw new ConfigFileError(file, `invalid YAML: ${describeYamlError(first)}`, locationOf(body, first.pos[0]));
  if (document.contents === null) throw new ConfigFileError(file, 'the file holds only comments; expected a YAML mapping with MCP servers');

  let value: unknown;
  try {
    value = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    // toJS throws for aliases past the limit (or pointing nowhere), which the parse itself lets through.
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigFileError(file, `invalid YAML: ${lowerFirst(reason)}`, undefined, { cause: error });
  }
  if (!isJsonObject(value)) throw new ConfigFileError(file, `the top level must be a YAML mapping (key: value), not ${describeYamlType(value)}`);
  return value;
}

/** The parser's message as the end of a sentence; a second document gets words people use. */
function describeYamlError(error: YAMLError): string {
  if (error.code === 'MULTIPLE_DOCS') return 'the file holds more than one document (a second "---"); keep one';
  return lowerFirst(error.message);
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/** Names a YAML value's kind as YAML calls it: "a list", "a string", "null". */
function describeYamlType(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'a list';
  switch (typeof value) {
    case 'string':
      return 'a string';
    case 'number':
    case 'bigint':
      return 'a number';
    case 'boolean':
      return 'a boolean';
    default:
      return `a ${typeof value}`;
  }
}
