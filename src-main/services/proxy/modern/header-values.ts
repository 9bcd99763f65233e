/**
 * Header values of MCP 2026-07-28's Streamable HTTP request metadata (`Mcp-Name`, `Mcp-Param-*`): a value that is
 * not plain visible ASCII travels as `=?base64?<base64 of its UTF-8>?=`. Servers decode it before comparing it to
 * the body.
 */

const SENTINEL = /^=\?base64\?([A-Za-z0-9+/]*={0,2})\?=$/;

/** The decoded value of a header, or undefined when it claims the Base64 form and is not valid Base64 UTF-8. */
export function decodeHeaderValue(raw: string): string | undefined {
  const value = stripOptionalWhitespace(raw);
  // Only the whole sentinel (prefix and suffix) marks the Base64 form; anything else is the literal value.
  if (!(value.startsWith('=?base64?') && value.endsWith('?='))) return value;
  const match = SENTINEL.exec(value);
  if (!match || match[1]!.length % 4 !== 0) return undefined;
  const bytes = Buffer.from(match[1]!, 'base64');
  const text = new TextDecoder('utf-8', { fatal: true });
  try {
    return text.decode(bytes);
  } catch {
    return undefined;
  }
}

/** RFC 9110 optional whitespace (space, tab) around a field value is not part of it. */
export function stripOptionalWhitespace(value: string): string {
  return value.replace(/^[ \t]+|[ \t]+$/g, '');
}
