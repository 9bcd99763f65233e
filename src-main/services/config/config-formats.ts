import type { ConfigFormat, ConfigFormatId } from './config-format';
import { clineFormat } from './formats/cline-format';
import { codexFormat } from './formats/codex-format';
import { continueFormat } from './formats/continue-format';
import { gooseFormat } from './formats/goose-format';
import { mcpServersFormat } from './formats/mcp-servers-format';
import { vscodeMcpFormat } from './formats/vscode-mcp-format';
import { vscodeSettingsFormat } from './formats/vscode-settings-format';
import { windsurfFormat } from './formats/windsurf-format';
import { zedFormat } from './formats/zed-format';

/** Every format Patchbay reads. Add a new one here; detection tries them all, dialects after their base format. */
export const CONFIG_FORMATS: readonly ConfigFormat[] = [
  mcpServersFormat,
  windsurfFormat,
  clineFormat,
  vscodeMcpFormat,
  vscodeSettingsFormat,
  zedFormat,
  continueFormat,
  gooseFormat,
  codexFormat,
];

/** The format with this id. */
export function configFormat(id: ConfigFormatId): ConfigFormat {
  const format = CONFIG_FORMATS.find((candidate) => candidate.id === id);
  if (!format) throw new Error(`unknown config format "${id}"`);
  return format;
}

/** Names a format for people: `"mcpServers" (Claude Desktop, Cursor, Claude Code)`, `"mcpServers" as a list (Continue)`. */
export function describeConfigFormat(format: ConfigFormat): string {
  return `${format.serversKey}${format.nameListItem ? ' as a list' : ''} (${format.hosts})`;
}
