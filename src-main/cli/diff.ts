// `npm run diff -- BEFORE.json AFTER.json [--json] [--fail-on breaking|any]`: compares two server snapshots and
// prints each change classified (breaking, additive, cosmetic). Exit codes: 0 no breaking change (or no change with
// --fail-on any), 1 a breaking change (or any change), 2 bad flags or snapshot file.
import { readFile } from 'node:fs/promises';
import { diffSnapshots } from '../../src-shared/server-diff';
import { parseServerSnapshot, SnapshotFormatError, type ServerSnapshot } from '../../src-shared/server-snapshot';
import { diffHelp, DIFF_USAGE, parseDiffArgs, UsageError } from './diff-args';
import { formatDiffReport } from './diff-report';
import { exitAfterFlush } from './stop-on-signals';

const EXIT_PASS = 0;
const EXIT_FAIL = 1;
const EXIT_USAGE = 2;

const print = (line: string): void => void process.stdout.write(`${line}\n`);
const printError = (line: string): void => void process.stderr.write(`${line}\n`);

async function main(): Promise<void> {
  let command;
  let before: ServerSnapshot;
  let after: ServerSnapshot;
  try {
    command = parseDiffArgs(process.argv.slice(2));
    if (command.kind === 'help') {
      print(diffHelp());
      return exitAfterFlush(EXIT_PASS);
    }
    before = await readSnapshotFile('BEFORE', command.options.beforePath);
    after = await readSnapshotFile('AFTER', command.options.afterPath);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    printError(`error: ${error.message}`);
    printError(DIFF_USAGE);
    return exitAfterFlush(EXIT_USAGE);
  }
  const diff = diffSnapshots(before, after);
  if (command.options.json) print(JSON.stringify(diff, null, 2));
  else for (const line of formatDiffReport(diff)) print(line);
  const failing = command.options.failOn === 'any' ? diff.changes.length : diff.counts.breaking;
  exitAfterFlush(failing > 0 ? EXIT_FAIL : EXIT_PASS);
}

/** A snapshot file, read and checked; what is wrong with it is a UsageError naming which one and why. */
async function readSnapshotFile(which: string, path: string): Promise<ServerSnapshot> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`${which}: ${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  try {
    return parseServerSnapshot(text, path);
  } catch (error) {
    if (error instanceof SnapshotFormatError) throw new UsageError(`${which}: ${error.message}`);
    throw error;
  }
}

main().catch((error: unknown) => {
  printError(`error: ${error instanceof Error ? error.message : String(error)}`);
  exitAfterFlush(EXIT_USAGE);
});
