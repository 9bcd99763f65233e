// `npm run snapshot -- --config FILE --server NAME [--out FILE]`: starts Patchbay's proxy on 127.0.0.1 with the one
// server, snapshots what it offers and writes the snapshot as JSON. Exit codes: 0 written, 2 bad flags or config
// file, 3 the server could not be snapshotted.
import { writeFile } from 'node:fs/promises';
import type { ServerEntry } from '../../src-shared/catalog';
import { describeSnapshot, type ServerSnapshot } from '../../src-shared/server-snapshot';
import { createStaticCatalog } from '../services/config';
import { ChildRecord } from '../services/proxy/child-record';
import { startProxy, type RunningProxy } from '../services/proxy/proxy-server';
import { captureSnapshot } from '../services/snapshot/capture-snapshot';
import { SnapshotError } from '../services/snapshot/snapshot-error';
import { readServerFromConfig } from './config-server';
import { exitOnFatalErrors } from './fatal-errors';
import { parseSnapshotArgs, snapshotHelp, SNAPSHOT_USAGE, UsageError, type SnapshotCliOptions } from './snapshot-args';
import { exitAfterFlush, stopOnSignals } from './stop-on-signals';

const EXIT_WRITTEN = 0;
const EXIT_USAGE = 2;
const EXIT_NO_RUN = 3;

const print = (line: string): void => void process.stdout.write(`${line}\n`);
const printError = (line: string): void => void process.stderr.write(`${line}\n`);

let runningProxy: RunningProxy | undefined;
exitOnFatalErrors(() => runningProxy);

async function main(): Promise<void> {
  let options: SnapshotCliOptions;
  let server: ServerEntry;
  try {
    const command = parseSnapshotArgs(process.argv.slice(2));
    if (command.kind === 'help') {
      print(snapshotHelp());
      return exitAfterFlush(EXIT_WRITTEN);
    }
    options = command.options;
    server = await readServerFromConfig(options.configPath, options.server);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    printError(`error: ${error.message}`);
    printError(SNAPSHOT_USAGE);
    return exitAfterFlush(EXIT_USAGE);
  }

  const { record: children } = await ChildRecord.open(options.dataDir, (message) => printError(`warning: ${message}`));
  const proxy = await startProxy({ catalog: createStaticCatalog([server]), port: 0, idleTimeoutMs: 0, session: { childTracker: children } });
  runningProxy = proxy;
  const stop = async () => {
    await proxy.close();
    await children.close();
  };
  stopOnSignals(proxy, stop);
  let snapshot: ServerSnapshot;
  try {
    snapshot = await captureSnapshot({ server: server.name, proxy: { url: proxy.url, token: proxy.token }, era: options.era ?? server.protocolEra ?? 'auto', requestTimeoutMs: options.requestTimeoutMs });
  } catch (error) {
    if (!(error instanceof SnapshotError)) throw error;
    await stop();
    printError(`error: ${error.message}`);
    return exitAfterFlush(EXIT_NO_RUN);
  }
  await stop();
  runningProxy = undefined;

  const text = `${JSON.stringify(snapshot, null, 2)}\n`;
  if (options.outPath === undefined) {
    process.stdout.write(text);
    return exitAfterFlush(EXIT_WRITTEN);
  }
  try {
    await writeFile(options.outPath, text);
  } catch (error) {
    printError(`error: --out: ${options.outPath} cannot be written (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    return exitAfterFlush(EXIT_USAGE);
  }
  print(`snapshot of ${describeSnapshot(snapshot)} written to ${options.outPath}`);
  exitAfterFlush(EXIT_WRITTEN);
}

main().catch((error: unknown) => {
  printError(`error: ${error instanceof Error ? error.message : String(error)}`);
  exitAfterFlush(EXIT_NO_RUN);
});
