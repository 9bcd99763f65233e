import { basenameOf } from './formats/dialect-evidence';

/** The syntaxes config files are written in: JSON (with comments), YAML, or TOML (Codex). */
export type DocumentSyntax = 'json' | 'yaml' | 'toml';

/**
 * The syntax a file's name says: `.yaml` and `.yml` are YAML, `.toml` TOML, any other extension (`.json`, `.jsonc`,
 * ...) JSON.
 * Undefined for a name without an extension (pasted text, `config`, `.mcprc`): try JSON, then YAML.
 */
export function syntaxForFileName(file: string): DocumentSyntax | undefined {
  const name = basenameOf(file);
  const dot = name.lastIndexOf('.');
  if (dot <= 0 || dot === name.length - 1) return undefined;
  const extension = name.slice(dot + 1);
  if (extension === 'yaml' || extension === 'yml') return 'yaml';
  return extension === 'toml' ? 'toml' : 'json';
}

/** What a config file of this name should have been, for messages: "a JSON config", "a YAML config". */
export function describeConfigKind(file: string): string {
  switch (syntaxForFileName(file)) {
    case 'yaml':
      return 'a YAML config';
    case 'json':
      return 'a JSON config';
    case 'toml':
      return 'a TOML config';
    default:
      return 'a JSON or YAML config';
  }
}
