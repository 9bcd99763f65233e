import type { ConfigFormat, DialectEvidence, ListedServer } from './config-format';
import { ConfigFileError } from './config-file-error';
import { CONFIG_FORMATS } from './config-formats';
import { syntaxForFileName } from './document-syntax';
import { describeJsonType, isJsonObject, type JsonObject } from './json-values';
import { listWords } from './wording';

/** The format a document was recognised as, and its servers. */
export interface DetectedFormat {
  format: ConfigFormat;
  /** The value where the format keeps its servers: an object of name → settings, or a list for Continue. */
  servers: JsonObject | unknown[];
  /** Every server's name (as messages give it) and settings, in file order. */
  listed: ListedServer[];
  /** One sentence saying which format was taken and why: `Read as Windsurf because server "docs" uses "serverUrl".` */
  detection: string;
}

/**
 * Tells which host format a parsed config file is, by its shape: which of the known server keys it has, then,
 * for a key several hosts share (`"mcpServers"`), whether a host's own settings show up in the servers. The file's
 * name only decides between dialects when the servers look the same either way. The document's syntax (JSON or
 * YAML) plays no part: Continue is told from Claude Desktop by its "mcpServers" being a list.
 * @param file the file name used in error messages and, for dialects, as the last hint.
 * @throws ConfigFileError when the top level is not an object, no known key (or more than one) is present, the
 * servers value is not an object (a list, for a list format), or the servers mix two hosts' settings.
 */
export function detectFormat(document: unknown, file: string, formats: readonly ConfigFormat[] = CONFIG_FORMATS): DetectedFormat {
  if (!isJsonObject(document)) {
    throw new ConfigFileError(file, `the top level must be a JSON object, not ${describeJsonType(document)}`);
  }
  const baseFormats = formats.filter((format) => format.refines === undefined);
  const matches = baseFormats
    .map((format) => ({ format, servers: format.locateServers(document) }))
    .filter((match) => match.servers !== undefined);

  if (matches.length === 0) {
    // A .json file is told of the JSON formats, a .yaml file of the YAML ones, a .toml file of Codex's; a file
    // without an extension (read as JSON or YAML only) of every JSON and YAML one.
    const syntax = syntaxForFileName(file);
    const expected = baseFormats
      .filter((format) => (syntax === undefined ? format.writtenIn !== 'toml' : (format.writtenIn ?? 'json') === syntax))
      .map((format) => describeWithDialects(format, formats))
      .join(', or ');
    throw new ConfigFileError(file, `no MCP servers found: expected ${expected}`);
  }
  if (matches.length > 1) {
    // Guessing would silently drop the other set of servers.
    const keys = matches.map((match) => match.format.serversKey).join(' and ');
    throw new ConfigFileError(file, `the file has both ${keys}; keep the servers under one of them`);
  }
  const [{ format: base, servers }] = matches as [{ format: ConfigFormat; servers: unknown }];
  const nameListItem = base.nameListItem;
  if (nameListItem) {
    if (!Array.isArray(servers)) throw new ConfigFileError(file, `${base.serversKey} must be a list of servers, not ${describeJsonType(servers)}`);
    if (servers.length > 0 && base.itemHasName && !servers.some((item) => base.itemHasName?.(item))) throw unnamedListError(base, servers, file, formats);
    const listed = servers.map((settings: unknown, index) => ({ server: nameListItem(settings, index), settings }));
    return { format: base, servers, listed, detection: `Read as ${base.hosts} because the file has ${base.serversKey} as a list.` };
  }
  if (!isJsonObject(servers)) {
    throw new ConfigFileError(file, `${base.serversKey} must be an object mapping server names to their settings, not ${describeJsonType(servers)}`);
  }
  const listed = base.listServers ? base.listServers(document, servers) : Object.entries(servers).map(([server, settings]) => ({ server, settings }));
  const dialect = chooseDialect(base, servers, file, formats);
  if (dialect) return { format: dialect.format, servers, listed, detection: `Read as ${dialect.format.hosts} because ${dialect.evidence.because}.` };
  return { format: base, servers, listed, detection: `Read as ${base.hosts} because the file has ${base.serversKey}${dialectsRuledOut(base, formats)}.` };
}

interface DialectMatch {
  format: ConfigFormat;
  evidence: DialectEvidence;
}

/** The dialect the servers show; shape beats file name, and two hosts' settings in one file are an error. */
function chooseDialect(base: ConfigFormat, servers: JsonObject, file: string, formats: readonly ConfigFormat[]): DialectMatch | undefined {
  const candidates = formats
    .filter((format) => format.refines === base.id && format.recognise)
    .flatMap((format) => {
      const evidence = format.recognise?.(servers, file);
      return evidence ? [{ format, evidence }] : [];
    });
  const byShape = candidates.filter((candidate) => candidate.evidence.by === 'shape');
  if (byShape.length > 1) {
    const reasons = byShape.map((candidate) => `${candidate.format.hosts} (${candidate.evidence.because})`).join(' and ');
    throw new ConfigFileError(file, `the servers mix settings of ${reasons}; keep one host's settings per file`);
  }
  return byShape[0] ?? candidates[0];
}

function dialectsRuledOut(base: ConfigFormat, formats: readonly ConfigFormat[]): string {
  const dialects = formats.filter((format) => format.refines === base.id).map((format) => format.hosts);
  return dialects.length === 0 ? '' : ` and no setting only ${dialects.join(' or ')} writes`;
}

function describeWithDialects(base: ConfigFormat, formats: readonly ConfigFormat[]): string {
  const dialects = formats.filter((format) => format.refines === base.id).map((format) => format.hosts);
  const key = base.nameListItem ? `${base.serversKey} as a list` : base.serversKey;
  return `${key} (${[base.hosts, ...dialects].join(', ')})`;
}

/**
 * A list of servers none of which has a name: neither the object of name → settings the JSON hosts write nor the
 * list of named items Continue writes. Guessing names (from a command, say) would import the wrong thing, so the
 * error names the key and both shapes it could have had.
 */
function unnamedListError(base: ConfigFormat, servers: unknown[], file: string, formats: readonly ConfigFormat[]): ConfigFileError {
  const key = base.serversKey;
  const objectHosts = formats
    .filter((format) => format.serversKey === key && format.id !== base.id && format.refines === undefined)
    .flatMap((format) => [format.hosts, ...formats.filter((dialect) => dialect.refines === format.id).map((dialect) => dialect.hosts)]);
  const count = servers.length === 1 ? 'a list of 1 server' : `a list of ${servers.length} servers`;
  return new ConfigFileError(
    file,
    `${key} is ${count} without names, so there is nothing to call them by: write it as an object mapping each ` +
      `server's name to its settings, ${key}: { "my-server": { "command": "...", "args": [...] } } (as ${listWords(objectHosts.join(', ').split(', '))} do), ` +
      `or give every item a "name" (as ${base.hosts} does)`,
  );
}
