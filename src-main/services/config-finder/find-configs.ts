import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, posix, win32 } from 'node:path';
import { ConfigFileError, MAX_CONFIG_BYTES, parseConfigBytes } from '../config';
import { configLocations, type ConfigHost, type ConfigLocation, type FinderContext } from './config-locations';

/** A known location and what is there. */
export interface LocatedConfig {
  host: ConfigHost;
  scope: 'user' | 'project';
  label: string;
  path: string;
  exists: boolean;
  /** For a file that exists and reads: how many servers it has (entries and entries with problems). */
  servers?: number;
  /** For a file that exists but cannot be imported as it is: why, in the reader's words (no servers, bad JSON...). */
  problem?: string;
}

/** The file system calls the finder makes; tests pass one that maps a Windows home onto a temporary folder. */
export interface FinderFileSystem {
  stat(path: string): Promise<{ isFile(): boolean; isDirectory(): boolean; size: number }>;
  readFile(path: string): Promise<Uint8Array>;
  readdir(path: string): Promise<string[]>;
}

const nodeFileSystem: FinderFileSystem = { stat, readFile, readdir: (path) => readdir(path) };

/**
 * Looks in every known location of every supported host on this OS (see `config-locations.ts`) and says which
 * exist; each one that does is read, to say how many servers it has or why it cannot be imported. Runs only when
 * the user asks (the "Find my configs" button); nothing is written, and a file that cannot be read is reported,
 * never thrown.
 */
export async function findConfigs(context: FinderContext, fileSystem: FinderFileSystem = nodeFileSystem): Promise<LocatedConfig[]> {
  const results = await Promise.all(configLocations(context).map((location) => inspect(location, context.platform, fileSystem)));
  return results.flat();
}

async function inspect(location: ConfigLocation, platform: NodeJS.Platform, fileSystem: FinderFileSystem): Promise<LocatedConfig[]> {
  const { folderOf, ...shown } = location;
  const info = await fileSystem.stat(location.path).catch(() => undefined);
  if (folderOf) {
    if (!info?.isDirectory()) return [{ ...shown, exists: false }];
    const names = (await fileSystem.readdir(location.path).catch(() => [])).filter((name) => folderOf.includes(extname(name).toLowerCase())).sort();
    const path = platform === 'win32' ? win32 : posix;
    const files = await Promise.all(names.map((name) => inspect({ ...shown, label: `${location.label}${name}`, path: path.join(location.path, name) }, platform, fileSystem)));
    return files.flat().filter((file) => file.exists);
  }
  if (!info) return [{ ...shown, exists: false }];
  if (!info.isFile()) return [{ ...shown, exists: true, problem: 'this is not a file' }];
  if (info.size > MAX_CONFIG_BYTES) return [{ ...shown, exists: true, problem: 'the file is too large to be a config file' }];
  try {
    const result = parseConfigBytes(await fileSystem.readFile(location.path), location.path);
    return [{ ...shown, exists: true, servers: result.entries.length + result.problems.length }];
  } catch (error) {
    const reason = error instanceof ConfigFileError ? error.reason : error instanceof Error ? error.message : String(error);
    // A settings.json of an editor that has no MCP servers in it is common; the long list of expected keys is noise here.
    return [{ ...shown, exists: true, problem: reason.startsWith('no MCP servers found') ? 'no MCP servers in it' : reason }];
  }
}
