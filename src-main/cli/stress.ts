// `npm run stress -- --config FILE --server NAME --tool T ...`: starts Patchbay's proxy on 127.0.0.1 with the config's
// servers, drives one of them through it from the stress runner's worker, prints the figures and checks the
// thresholds. Exit codes: 0 passed, 1 past a threshold (or stopped by a signal), 2 bad flags or config, 3 the run
// could not be made.
import type { ServerEntry } from '../../src-shared/catalog';
import { createStaticCatalog } from '../services/config';
import { ChildRecord } from '../services/proxy/child-record';
import { startProxy, type RunningProxy } from '../services/proxy/proxy-server';
import { startStressRun } from '../services/stress/stress-run';
import { readServerFromConfig } from './config-server';
import { exitOnFatalErrors } from './fatal-errors';
import { exitAfterFlush } from './stop-on-signals';
import { parseStressArgs, stressHelp, STRESS_USAGE, UsageError, type StressCliOptions } from './stress-args';
import { checkThresholds, formatReport, progressLine } from './stress-report';

const EXIT_PASSED = 0;
const EXIT_FAILED = 1;
const EXIT_USAGE = 2;
const EXIT_NO_RUN = 3;

const print = (line: string): void => void process.stdout.write(`${line}\n`);
const printError = (line: string): void => void process.stderr.write(`${line}\n`);

let runningProxy: RunningProxy | undefined;
exitOnFatalErrors(() => runningProxy);

async function main(): Promise<void> {
  let options: StressCliOptions;
  try {
    const command = parseStressArgs(process.argv.slice(2));
    if (command.kind === 'help') {
      print(stressHelp());
      return exitAfterFlush(EXIT_PASSED);
    }
    options = command.options;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return failWithUsage(error.message);
  }
  let server: ServerEntry;
  try {
    server = await readServerFromConfig(options.configPath, options.settings.server);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return failWithUsage(error.message);
  }

  const { record: children } = await ChildRecord.open(options.dataDir, (message) => printError(`warning: ${message}`));
  const proxy = await startProxy({ catalog: createStaticCatalog([server]), port: 0, session: { childTracker: children } });
  runningProxy = proxy;
  const run = startStressRun({
    settings: options.settings,
    baseUrl: proxy.url,
    token: proxy.token ?? undefined,
    onProgress: (() => {
      let lastLine = 0;
      return (progress) => {
        if (progress.state !== 'running' || Date.now() - lastLine < 1000) return;
        lastLine = Date.now();
        printError(progressLine(progress.figures));
      };
    })(),
  });
  // Ctrl-C stops the run the way Stop does: every call cancelled, every session closed, then the report.
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (signalled) return exitAfterFlush(EXIT_FAILED);
    signalled = true;
    printError(`${signal}: stopping the run (cancelling the calls in flight, closing the sessions)...`);
    run.stop();
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, onSignal);
  const result = await run.done;
  await proxy.close();
  await children.close();
  runningProxy = undefined;

  const checks = checkThresholds(result, { maxErrorRate: options.maxErrorRate, maxP99Ms: options.maxP99Ms });
  if (options.json) print(JSON.stringify({ run: result, thresholds: checks }, null, 2));
  else for (const line of formatReport(result, checks)) print(line);
  if (result.outcome === 'failed') {
    if (options.json) printError(`error: ${result.failure ?? 'the run failed'}`);
    return exitAfterFlush(EXIT_NO_RUN);
  }
  exitAfterFlush(signalled || checks.some((check) => !check.passed) ? EXIT_FAILED : EXIT_PASSED);
}

function failWithUsage(message: string): void {
  printError(`error: ${message}`);
  printError(STRESS_USAGE);
  exitAfterFlush(EXIT_USAGE);
}

main().catch((error: unknown) => {
  printError(`error: ${error instanceof Error ? error.message : String(error)}`);
  exitAfterFlush(EXIT_FAILED);
});
