import { describe, expect, it } from 'vitest';
import { ConfigFileError } from './config-file-error';
import { decodeConfigBytes, locationOf, parseJsoncDocument } from './jsonc-document';

function thrownBy(action: () => unknown): ConfigFileError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigFileError);
    return error as ConfigFileError;
  }
  throw new Error('expected a ConfigFileError');
}

describe('parseJsoncDocument', () => {
  it('accepts comments, trailing commas and a byte order mark', () => {
    const text = '\uFEFF{\n  // a comment\n  "a": [1, 2,], /* another */\n  "b": { "c": true, },\n}';
    expect(parseJsoncDocument(text, 'x.json')).toEqual({ a: [1, 2], b: { c: true } });
  });

  it('names the file, 1-based line and column, and what is wrong', () => {
    const error = thrownBy(() => parseJsoncDocument('{\n  "a": 1\n  "b": 2\n}', 'mcp.json'));
    expect(error.message).toBe('mcp.json:3:3: invalid JSON: comma expected');
    expect([error.file, error.line, error.column, error.reason]).toEqual(['mcp.json', 3, 3, 'invalid JSON: comma expected']);
  });

  it('counts lines of a CRLF file and columns after a byte order mark like an editor does', () => {
    expect(thrownBy(() => parseJsoncDocument('\uFEFF{\r\n  "a": 1,\r\n  b: 2\r\n}', 'crlf.json')).message).toBe('crlf.json:3:3: invalid JSON: invalid symbol');
  });

  it('reports the first error only', () => {
    expect(thrownBy(() => parseJsoncDocument('{ "a": 1 "b": 2 "c": 3 }', 'x.json')).message).toBe('x.json:1:10: invalid JSON: comma expected');
  });

  it('reports a cut-off file at its end', () => {
    expect(thrownBy(() => parseJsoncDocument('{ "mcpServers": {', 'cut.json')).message).toBe('cut.json:1:18: invalid JSON: close brace expected');
  });

  it('rejects empty and whitespace-only text', () => {
    expect(thrownBy(() => parseJsoncDocument('', 'e.json')).message).toBe('e.json: the file is empty; expected a JSON object with MCP servers');
    expect(thrownBy(() => parseJsoncDocument('\uFEFF \n\t', 'e.json')).message).toBe('e.json: the file is empty; expected a JSON object with MCP servers');
  });

  it('rejects text with NUL characters as binary', () => {
    expect(thrownBy(() => parseJsoncDocument('{}\u0000', 'b.json')).message).toBe('b.json: the file is binary (it contains NUL bytes), not a JSON config');
  });
});

describe('decodeConfigBytes', () => {
  it('decodes UTF-8 with and without a byte order mark', () => {
    expect(decodeConfigBytes(Buffer.from('{"é":1}'), 'f')).toBe('{"é":1}');
    expect(decodeConfigBytes(Buffer.from('\uFEFF{}'), 'f')).toBe('{}');
  });

  it('decodes UTF-16 big- and little-endian with a byte order mark', () => {
    const little = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{"a":1}', 'utf16le')]);
    const big = Buffer.from(little);
    big.swap16();
    expect(decodeConfigBytes(little, 'f')).toBe('{"a":1}');
    expect(decodeConfigBytes(big, 'f')).toBe('{"a":1}');
  });

  it('rejects bytes with NUL as binary', () => {
    expect(thrownBy(() => decodeConfigBytes(Uint8Array.from([0x7b, 0x00, 0x7d]), 'b.bin')).message).toBe(
      'b.bin: the file is binary (it contains NUL bytes), not a JSON config',
    );
  });
});

describe('locationOf', () => {
  it('gives 1-based lines and columns', () => {
    expect(locationOf('ab\ncd\n', 0)).toEqual({ line: 1, column: 1 });
    expect(locationOf('ab\ncd\n', 4)).toEqual({ line: 2, column: 2 });
    expect(locationOf('ab\ncd\n', 6)).toEqual({ line: 3, column: 1 });
  });
});
