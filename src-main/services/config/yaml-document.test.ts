import { describe, expect, it } from 'vitest';
import { ConfigFileError } from './config-file-error';
import { describeConfigKind, syntaxForFileName } from './document-syntax';
import { parseYamlDocument } from './yaml-document';

function thrownBy(action: () => unknown): ConfigFileError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigFileError);
    return error as ConfigFileError;
  }
  throw new Error('expected a ConfigFileError');
}

describe('parseYamlDocument', () => {
  it('reads YAML 1.2 as the hosts do: yes/no stay strings, comments, flow style, a byte order mark', () => {
    const text = '\uFEFF# a comment\nenabled: yes\nlist: [a, "b", 3]\nmap: { k: v }\nempty:\nquoted: "${{ secrets.X }}"\nplain: ${{ secrets.Y }}\n';
    expect(parseYamlDocument(text, 'c.yaml')).toEqual({ enabled: 'yes', list: ['a', 'b', 3], map: { k: 'v' }, empty: null, quoted: '${{ secrets.X }}', plain: '${{ secrets.Y }}' });
  });

  it('expands anchors and << merge keys, as in Continue\'s docs', () => {
    const text = 'defaults: &defaults\n  command: npx\n  args: [a]\nserver:\n  <<: *defaults\n  args: [b]\n';
    expect(parseYamlDocument(text, 'c.yaml')).toEqual({ defaults: { command: 'npx', args: ['a'] }, server: { command: 'npx', args: ['b'] } });
  });

  it('accepts a %YAML 1.1 directive and a document start', () => {
    expect(parseYamlDocument('%YAML 1.1\n---\nname: x\n', 'c.yaml')).toEqual({ name: 'x' });
  });

  it('keeps a "__proto__" key as an own key, not the prototype', () => {
    const value = parseYamlDocument('__proto__:\n  polluted: true\n', 'c.yaml');
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.hasOwn(value, '__proto__')).toBe(true);
  });

  it('names the file, 1-based line and column, and what is wrong', () => {
    const error = thrownBy(() => parseYamlDocument('extensions:\n  github: cmd: npx\n', 'config.yaml'));
    expect([error.message, error.file, error.line, error.column, error.reason]).toEqual([
      'config.yaml:2:11: invalid YAML: nested mappings are not allowed in compact mappings',
      'config.yaml',
      2,
      11,
      'invalid YAML: nested mappings are not allowed in compact mappings',
    ]);
  });

  it('reports an unclosed quote where the file ends', () => {
    expect(thrownBy(() => parseYamlDocument('a: 1\nb: "open\n', 'cut.yaml')).message).toBe('cut.yaml:3:1: invalid YAML: missing closing "quote');
  });

  it('counts lines of a CRLF file and columns after a byte order mark like an editor does', () => {
    expect(thrownBy(() => parseYamlDocument('\uFEFFa: 1\r\nb: x: y\r\n', 'crlf.yaml')).message).toBe(
      'crlf.yaml:2:4: invalid YAML: nested mappings are not allowed in compact mappings',
    );
  });

  it('reports tabs used as indentation, and the first error only', () => {
    expect(thrownBy(() => parseYamlDocument('a:\n\tb: 1\n\tc: [\n', 't.yaml')).message).toBe('t.yaml:2:1: invalid YAML: tabs are not allowed as indentation');
  });

  it('refuses a file whose aliases expand past the limit', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (const [name, previous] of [
      ['b', 'a'],
      ['c', 'b'],
      ['d', 'c'],
    ] as const) {
      levels.push(`${name}: &${name} [${Array(10).fill(`*${previous}`).join(', ')}]`);
    }
    const error = thrownBy(() => parseYamlDocument(levels.join('\n'), 'laughs.yaml'));
    expect(error.message).toBe('laughs.yaml: invalid YAML: excessive alias count indicates a resource exhaustion attack');
    expect(error.line).toBeUndefined();
  });

  it.each([
    ['', 'the file is empty; expected a YAML mapping with MCP servers'],
    ['\uFEFF \n\t\n', 'the file is empty; expected a YAML mapping with MCP servers'],
    ['# nothing but a comment\n', 'the file holds only comments; expected a YAML mapping with MCP servers'],
    ['a: 1\u0000', 'the file is binary (it contains NUL bytes), not a YAML config'],
    ['- a\n- b\n', 'the top level must be a YAML mapping (key: value), not a list'],
    ['just text\n', 'the top level must be a YAML mapping (key: value), not a string'],
    ['42\n', 'the top level must be a YAML mapping (key: value), not a number'],
    ['true\n', 'the top level must be a YAML mapping (key: value), not a boolean'],
    ['~\n', 'the top level must be a YAML mapping (key: value), not null'],
  ])('rejects %j', (text, reason) => {
    expect(thrownBy(() => parseYamlDocument(text, 'x.yaml')).message).toBe(`x.yaml: ${reason}`);
  });
});

describe('syntaxForFileName', () => {
  it.each([
    ['config.yaml', 'yaml'],
    ['/home/me/.config/goose/config.yml', 'yaml'],
    ['C:\\Users\\me\\.continue\\CONFIG.YAML', 'yaml'],
    ['mcp.json', 'json'],
    ['settings.jsonc', 'json'],
    ['/home/me/.claude.json', 'json'],
    ['notes.txt', 'json'],
    ['pasted', undefined],
    ['.mcprc', undefined],
    ['/home/me.d/config', undefined],
    ['trailing.', undefined],
  ])('%s → %s', (file, syntax) => {
    expect(syntaxForFileName(file)).toBe(syntax);
  });

  it('words the kind of config a name promises', () => {
    expect([describeConfigKind('a.yml'), describeConfigKind('a.json'), describeConfigKind('a')]).toEqual(['a YAML config', 'a JSON config', 'a JSON or YAML config']);
  });
});
