import { createHash } from 'node:crypto';
import { watch, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';

/** What a watched file became: new valid content, content that stays invalid, or gone (deleted, not yet back). */
export type WatchedFileEvent<T> =
  | { kind: 'changed'; path: string; value: T; hash: string }
  | { kind: 'invalid'; path: string; error: string; hash: string }
  | { kind: 'missing'; path: string };

export interface ConfigFileWatcherOptions<T> {
  /** Reads the file's bytes into a value; throws (with a sentence) when the content is not usable. */
  parse: (bytes: Uint8Array, path: string) => T;
  onEvent: (event: WatchedFileEvent<T>) => void;
  /** Quiet time after the last file-system event before the file is read: editors write in several steps. */
  debounceMs?: number;
  /** How long invalid content may stay before it is reported: a half-written file usually turns valid quickly. */
  invalidGraceMs?: number;
}

/** Open directory watchers, for tests that check nothing is left open. */
let openHandles = 0;
export function openWatcherHandles(): number {
  return openHandles;
}

export interface ConfigFileWatcher {
  readonly path: string;
  /** Hash of the last content reported (or read at start); a change to the same content is not reported again. */
  readonly lastHash: string | undefined;
  close(): void;
}

/**
 * Watches one config file the robust way: `fs.watch` on its folder, not the file, because editors save by writing a
 * temporary file and renaming it over the original (the original's inode, and a watch on it, is gone after the
 * first save). Events for the file's name are debounced; the file is then read and compared by hash with what was
 * last seen, so a touch or a rewrite with the same bytes is not a change. Invalid content is reported only when it
 * stays invalid for `invalidGraceMs`; a deleted file is reported as missing and watched for its return.
 */
export async function watchConfigFile<T>(path: string, options: ConfigFileWatcherOptions<T>): Promise<ConfigFileWatcher> {
  const debounceMs = options.debounceMs ?? 150;
  const invalidGraceMs = options.invalidGraceMs ?? 1500;
  const name = basename(path);
  let lastHash = await hashOf(path);
  let reportedMissing = false;
  let debounce: NodeJS.Timeout | undefined;
  let invalidTimer: NodeJS.Timeout | undefined;
  let closed = false;
  let reading: Promise<void> = Promise.resolve();

  const directoryWatcher: FSWatcher = watch(dirname(path), { persistent: false }, (_event, changed) => {
    // Some platforms omit the name; then any event in the folder may be ours.
    if (changed !== null && changed !== name) return;
    clearTimeout(debounce);
    debounce = setTimeout(() => {
      reading = reading.then(readAndReport);
    }, debounceMs);
  });
  openHandles += 1;
  directoryWatcher.on('error', () => {
    // The folder itself went away: nothing more can be seen from here.
    if (!closed) options.onEvent({ kind: 'missing', path });
  });

  async function readAndReport(): Promise<void> {
    if (closed) return;
    let bytes: Uint8Array;
    try {
      bytes = await readFile(path);
    } catch {
      clearTimeout(invalidTimer);
      if (!reportedMissing && !closed) options.onEvent({ kind: 'missing', path });
      reportedMissing = true;
      return;
    }
    if (closed) return;
    reportedMissing = false;
    const hash = digest(bytes);
    if (hash === lastHash) {
      clearTimeout(invalidTimer);
      return;
    }
    let value: T;
    try {
      value = options.parse(bytes, path);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      clearTimeout(invalidTimer);
      invalidTimer = setTimeout(() => {
        if (!closed) options.onEvent({ kind: 'invalid', path, error: message, hash });
      }, invalidGraceMs);
      return;
    }
    clearTimeout(invalidTimer);
    lastHash = hash;
    options.onEvent({ kind: 'changed', path, value, hash });
  }

  return {
    path,
    get lastHash() {
      return lastHash;
    },
    close() {
      if (closed) return;
      closed = true;
      clearTimeout(debounce);
      clearTimeout(invalidTimer);
      directoryWatcher.close();
      openHandles -= 1;
    },
  };
}

function digest(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

async function hashOf(path: string): Promise<string | undefined> {
  try {
    return digest(await readFile(path));
  } catch {
    return undefined;
  }
}
