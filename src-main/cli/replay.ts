// `npm run replay -- --config FILE --server NAME RECORDING`: starts Patchbay's proxy on 127.0.0.1 with the one server,
// replays the recording against it and prints a diff per request. Exit codes: 0 every response equal, 1 any
// difference, 2 bad flags, config or recording file, 3 the replay could not run (no connection).
import { readFile } from 'node:fs/promises';
import type { ServerEntry } from '../../src-shared/catalog';
import type { Recording } from '../../src-shared/recording';
import { createStaticCatalog } from '../services/config';
import { ChildRecord } from '../services/proxy/child-record';
import { startProxy, type RunningProxy } from '../services/proxy/proxy-server';
import { RecordingError } from '../services/recording/recording-error';
import { readRecording } from '../services/recording/recording-store';
import { replayRecording } from '../services/recording/replayer';
import { readServerFromConfig } from './config-server';
import { exitOnFatalErrors } from './fatal-errors';
import { parseReplayArgs, replayHelp, REPLAY_USAGE, UsageError, type ReplayCliOptions } from './replay-args';
import { formatReplayReport } from './replay-report';
import { exitAfterFlush, stopOnSignals } from './stop-on-signals';

const EXIT_MATCH = 0;
const EXIT_DIFFERENT = 1;
const EXIT_USAGE = 2;
const EXIT_NO_RUN = 3;

const print = (line: string): void => void process.stdout.write(`${line}\n`);
const printError = (line: string): void => void process.stderr.write(`${line}\n`);

let runningProxy: RunningProxy | undefined;
exitOnFatalErrors(() => runningProxy);

async function main(): Promise<void> {
  let options: ReplayCliOptions;
  let server: ServerEntry;
  let recording: Recording;
  try {
    const command = parseReplayArgs(process.argv.slice(2));
    if (command.kind === 'help') {
      print(replayHelp());
      return exitAfterFlush(EXIT_MATCH);
    }
    options = command.options;
    server = await readServerFromConfig(options.configPath, options.server);
    recording = await readRecordingFile(options.recordingPath);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return failWithUsage(error.message);
  }

  const { record: children } = await ChildRecord.open(options.dataDir, (message) => printError(`warning: ${message}`));
  const proxy = await startProxy({ catalog: createStaticCatalog([server]), port: 0, idleTimeoutMs: 0, session: { childTracker: children } });
  runningProxy = proxy;
  stopOnSignals(proxy, async () => {
    await proxy.close();
    await children.close();
  });
  let result;
  try {
    result = await replayRecording({ recording, server: server.name, recordedServer: options.recordedServer, ignore: options.ignore, requestTimeoutMs: options.requestTimeoutMs, proxy: { url: proxy.url, token: proxy.token, bus: proxy.bus } });
  } catch (error) {
    // The recording has no messages of the server asked for, or several servers and none was named.
    if (!(error instanceof RecordingError)) throw error;
    await proxy.close();
    await children.close();
    return failWithUsage(error.message);
  }
  await proxy.close();
  await children.close();
  runningProxy = undefined;

  if (options.json) print(JSON.stringify(result, null, 2));
  else for (const line of formatReplayReport(result)) print(line);
  if (result.outcome === 'failed') {
    if (options.json) printError(`error: ${result.failure ?? 'the replay could not run'}`);
    return exitAfterFlush(EXIT_NO_RUN);
  }
  exitAfterFlush(result.outcome === 'match' ? EXIT_MATCH : EXIT_DIFFERENT);
}

/** The recording file, read and checked; what is wrong with it is a UsageError naming the file. */
async function readRecordingFile(path: string): Promise<Recording> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`RECORDING: ${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  try {
    return readRecording(text, path);
  } catch (error) {
    if (error instanceof RecordingError) throw new UsageError(`RECORDING: ${error.message}`);
    throw error;
  }
}

function failWithUsage(message: string): void {
  printError(`error: ${message}`);
  printError(REPLAY_USAGE);
  exitAfterFlush(EXIT_USAGE);
}

main().catch((error: unknown) => {
  printError(`error: ${error instanceof Error ? error.message : String(error)}`);
  exitAfterFlush(EXIT_NO_RUN);
});
