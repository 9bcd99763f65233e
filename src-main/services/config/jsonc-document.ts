import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { ConfigFileError, type FileLocation } from './config-file-error';
import { describeConfigKind } from './document-syntax';

const BYTE_ORDER_MARK = '\uFEFF';

/**
 * Decodes the bytes of a config file. UTF-8 is the norm; UTF-16 with a byte order mark (what some Windows editors
 * save) is decoded too, since its NUL bytes would otherwise make a valid file look binary.
 * @throws ConfigFileError for a binary file.
 */
export function decodeConfigBytes(bytes: Uint8Array, file: string): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes);
  if (bytes.includes(0)) throw binaryFileError(file);
  return new TextDecoder('utf-8').decode(bytes);
}

/**
 * Parses the text of a JSON config file the way editors and MCP hosts accept it: comments, trailing commas and a
 * leading byte order mark are fine.
 * @param file the file name used in error messages.
 * @returns the parsed value, of any JSON type.
 * @throws ConfigFileError for an empty or binary file, or a syntax error (with its line and column).
 */
export function parseJsoncDocument(text: string, file: string): unknown {
  const body = text.startsWith(BYTE_ORDER_MARK) ? text.slice(BYTE_ORDER_MARK.length) : text;
  if (body.includes('\u0000')) throw binaryFileError(file);
  if (body.trim() === '') throw new ConfigFileError(file, 'the file is empty; expected a JSON object with MCP servers');

  const errors: ParseError[] = [];
  const document: unknown = parse(body, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: false });
  // Only the first error is reported: the ones after it are mostly the parser recovering from it.
  const first = errors[0];
  if (first) throw new ConfigFileError(file, `invalid JSON: ${describeParseError(first)}`, locationOf(body, first.offset));
  return document;
}

/** Turns jsonc-parser's code name ("CommaExpected") into words ("comma expected"). */
function describeParseError(error: ParseError): string {
  return printParseErrorCode(error.error)
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase();
}

/** The 1-based line and column of a character offset. */
export function locationOf(text: string, offset: number): FileLocation {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  let line = 1;
  for (let index = before.indexOf('\n'); index !== -1; index = before.indexOf('\n', index + 1)) line += 1;
  return { line, column: offset - lineStart + 1 };
}

/** The error for a file with NUL bytes, saying what the file's name promised ("not a YAML config"). */
export function binaryFileError(file: string): ConfigFileError {
  return new ConfigFileError(file, `the file is binary (it contains NUL bytes), not ${describeConfigKind(file)}`);
}
