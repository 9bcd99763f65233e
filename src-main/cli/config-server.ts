// The one server a command-line tool is pointed at with `--config FILE --server NAME`, read from a host's config file.
import type { ServerEntry } from '../../src-shared/catalog';
import { ConfigFileError, readConfigFile } from '../services/config';
import { UsageError } from './serve-args';

/**
 * Reads the config file and returns the entry named `serverName`. A file that cannot be read or parsed, or that has
 * no such server, is a UsageError whose message names the flag, the file and the servers it does have.
 */
export async function readServerFromConfig(configPath: string, serverName: string): Promise<ServerEntry> {
  let entries: ServerEntry[];
  try {
    entries = (await readConfigFile(configPath)).entries;
  } catch (error) {
    if (error instanceof ConfigFileError) throw new UsageError(error.message);
    throw error;
  }
  const server = entries.find((entry) => entry.name === serverName);
  if (server) return server;
  const names = entries.map((entry) => `"${entry.name}"`).join(', ') || 'none';
  throw new UsageError(`--server: ${configPath} has no server named "${serverName}" (it has ${names})`);
}
