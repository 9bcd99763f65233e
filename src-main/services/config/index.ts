// Reads MCP host config files (Claude Desktop, Cursor, Claude Code, Windsurf, Cline, VS Code, Zed in JSON; Continue
// and Goose in YAML) into catalog entries, fills in their placeholders on demand, and writes the catalog back out
// for Claude Desktop, Cursor and VS Code.
export { ConfigFileError, type FileLocation } from './config-file-error';
export type { ConfigFormat, ConfigFormatId, DialectEvidence, DocumentExtras, ListedServer, ServerOutcome } from './config-format';
export { CONFIG_FORMATS, configFormat, describeConfigFormat } from './config-formats';
export { detectFormat, type DetectedFormat } from './detect-format';
export { createStaticCatalog } from './config-catalog';
export { exportCatalog, type ExportedConfig, type ExportTarget } from './export-config';
export { syntaxForFileName, type DocumentSyntax } from './document-syntax';
export { decodeConfigBytes, parseJsoncDocument } from './jsonc-document';
export { parseYamlDocument } from './yaml-document';
export {
  fillDefaults,
  findPlaceholders,
  parsePlaceholders,
  resolvePlaceholders,
  type EnvNeed,
  type InputNeed,
  type MissingValue,
  type Placeholder,
  type PlaceholderKind,
  type PlaceholderNeeds,
  type PlaceholderValues,
  type ResolveOutcome,
  type VariableNeed,
} from './placeholders';
export {
  MAX_CONFIG_BYTES,
  parseConfigBytes,
  parseConfigDocument,
  parseConfigText,
  readConfigBytes,
  readConfigFile,
  tooLargeError,
  type ConfigProblem,
  type ConfigReadResult,
  type ConfigWarning,
} from './read-config';
export type { InputDefinition } from './vscode-inputs';
