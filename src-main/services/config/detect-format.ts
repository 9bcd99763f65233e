import type { ConfigFormat } from './config-format';
import { ConfigFileError } from './config-file-error';
import { CONFIG_FORMATS, describeConfigFormat } from './config-formats';
import { describeJsonType, isJsonObject, type JsonObject } from './json-values';

/** The format a document was recognised as, and its servers object (name → settings). */
export interface DetectedFormat {
  format: ConfigFormat;
  servers: JsonObject;
}

/**
 * Tells which host format a parsed config file is, by its shape: which of the known server keys it has.
 * @param file the file name used in error messages.
 * @throws ConfigFileError when the top level is not an object, no known key (or more than one) is present, or the
 * servers value is not an object.
 */
export function detectFormat(document: unknown, file: string, formats: readonly ConfigFormat[] = CONFIG_FORMATS): DetectedFormat {
  if (!isJsonObject(document)) {
    throw new ConfigFileError(file, `the top level must be a JSON object, not ${describeJsonType(document)}`);
  }
  const matches = formats
    .map((format) => ({ format, servers: format.locateServers(document) }))
    .filter((match) => match.servers !== undefined);

  if (matches.length === 0) {
    const expected = formats.map(describeConfigFormat).join(', or ');
    throw new ConfigFileError(file, `no MCP servers found: expected ${expected}`);
  }
  if (matches.length > 1) {
    // Guessing would silently drop the other set of servers.
    const keys = matches.map((match) => match.format.serversKey).join(' and ');
    throw new ConfigFileError(file, `the file has both ${keys}; keep the servers under one of them`);
  }
  const [{ format, servers }] = matches as [{ format: ConfigFormat; servers: unknown }];
  if (!isJsonObject(servers)) {
    throw new ConfigFileError(file, `${format.serversKey} must be an object mapping server names to their settings, not ${describeJsonType(servers)}`);
  }
  return { format, servers };
}
