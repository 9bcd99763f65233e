import { ConfigFileError, readConfigBytes } from '../config';

/** Import takes smaller files than the config reader: a dropped file over this is almost surely the wrong one. */
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;

/**
 * One file to import: its text (pasted, or decoded by the caller), its raw bytes (dropped or read from disk), or
 * the reason it could not be read, which the plan shows like any other bad file.
 */
export type ImportFile = { path: string; text: string } | { path: string; bytes: Uint8Array } | { path: string; error: string };

/**
 * Reads config files from disk for `planImport`. A file that cannot be read (missing, a directory, over `maxBytes`)
 * comes back with an error naming it, so one bad file does not stop the others.
 */
export async function readImportFiles(paths: readonly string[], maxBytes: number = MAX_IMPORT_BYTES): Promise<ImportFile[]> {
  return Promise.all(
    paths.map(async (path): Promise<ImportFile> => {
      try {
        return { path, bytes: await readConfigBytes(path, maxBytes) };
      } catch (error) {
        if (error instanceof ConfigFileError) return { path, error: error.message };
        throw error;
      }
    }),
  );
}
