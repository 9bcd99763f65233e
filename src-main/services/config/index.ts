// Reads MCP host config files (Claude Desktop, Cursor, Claude Code, VS Code) into catalog entries.
export { ConfigFileError, type FileLocation } from './config-file-error';
export type { ConfigFormat, ConfigFormatId, ServerOutcome } from './config-format';
export { CONFIG_FORMATS, configFormat, describeConfigFormat } from './config-formats';
export { detectFormat, type DetectedFormat } from './detect-format';
export { createStaticCatalog } from './config-catalog';
export { decodeConfigBytes, parseJsoncDocument } from './jsonc-document';
export { MAX_CONFIG_BYTES, parseConfigBytes, parseConfigText, readConfigFile, type ConfigProblem, type ConfigReadResult } from './read-config';
