// The headless proxy: `npm run serve -- --config FILE [--port 6277] [--host 127.0.0.1] [--token T] [--no-auth]
// [--idle-timeout SECONDS] [--data-dir DIR] [--record FILE] [--fault SERVER:KIND[:key=value,...]]... [--faults FILE] [--fault-seed N]`.
// Exit codes: 0 stopped by a signal, 1 could not listen or was forced to stop, 2 bad flags, bad config or refused.
import { inputsOf } from '../services/inputs/server-inputs';
import { ConfigFileError, createStaticCatalog, configFormat, describeConfigFormat, readConfigFile, type ConfigReadResult } from '../services/config';
import { ChildRecord, describeOrphans } from '../services/proxy/child-record';
import { startProxy, type RunningProxy } from '../services/proxy/proxy-server';
import { EventBus } from '../services/proxy/event-bus';
import { emitAuthStates, printingOpener, startOAuth } from '../services/oauth';
import { DEFAULT_DATA_DIR, parseServeArgs, serveHelp, SERVE_USAGE, UsageError, type ServeOptions } from './serve-args';
import { formatStartupBanner } from './serve-banner';
import { describeStartFailure } from './serve-start-failure';
import { exitOnFatalErrors } from './fatal-errors';
import { exitAfterFlush, stopOnSignals } from './stop-on-signals';
import { describeFault } from '../../src-shared/faults';
import { FaultPlanError } from '../services/proxy/faults/fault-plans';
import { FaultFlagError, faultPlansFromFlags } from './fault-flags';
import { startSessionRecording } from './serve-recording';

const EXIT_STOPPED = 0;
const EXIT_FAILED = 1;
const EXIT_USAGE = 2;

const print = (line: string): void => void process.stdout.write(`${line}\n`);
const printError = (line: string): void => void process.stderr.write(`${line}\n`);

const exit = exitAfterFlush;

let runningProxy: RunningProxy | undefined;
exitOnFatalErrors(() => runningProxy);

async function main(): Promise<void> {
  let options: ServeOptions;
  try {
    const command = parseServeArgs(process.argv.slice(2), process.env);
    if (command.kind === 'help') {
      print(serveHelp());
      return exit(EXIT_STOPPED);
    }
    options = command.options;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return failWithUsage(error.message);
  }

  let config: ConfigReadResult;
  try {
    config = await readConfigFile(options.configPath);
  } catch (error) {
    if (!(error instanceof ConfigFileError)) throw error;
    return failWithUsage(error.message);
  }
  for (const problem of config.problems) printError(`warning: ${options.configPath}: ${problem.message}; skipping it`);
  let faults: Awaited<ReturnType<typeof faultPlansFromFlags>>;
  try {
    faults = await faultPlansFromFlags(options.faultFlags ?? [], options.faultsFile, options.faultSeed);
  } catch (error) {
    if (!(error instanceof FaultFlagError)) throw error;
    return failWithUsage(error.message);
  }
  // serve has no one to ask: a server with VS Code inputs cannot start, and says so now rather than at connect.
  for (const entry of config.entries) {
    const inputs = inputsOf(entry);
    if (inputs.length === 0 || entry.disabled) continue;
    const named = inputs.map((input) => `"${input.id}"${input.description ? ` (${input.description})` : ''}`).join(', ');
    printError(`warning: server "${entry.name}" uses the input${inputs.length === 1 ? '' : 's'} ${named}, which serve cannot ask for: it will not start; use \${env:NAME} placeholders instead, or connect it in the Patchbay app`);
  }

  // Before any server starts: end what a serve (or app) that crashed left running, and record ours from now on.
  const { record: children, report: orphans } = await ChildRecord.open(options.dataDir ?? DEFAULT_DATA_DIR, (message) => printError(`warning: ${message}`));
  for (const problem of orphans.problems) printError(`warning: ${problem}`);
  if (orphans.unsupported) printError(`note: ${orphans.unsupported}`);
  const orphanLine = describeOrphans(orphans);

  const catalog = createStaticCatalog(config.entries);
  // A remote server that asks for OAuth is signed in to at once: serve prints the URL to open and waits for the
  // redirect (tokens kept in memory until serve stops: there is no keychain here).
  const oauth = await startOAuth({ catalog, policy: 'inline', openBrowser: printingOpener((line) => printError(`oauth: ${line}`)) });
  const bus = new EventBus();
  emitAuthStates(oauth.service, bus);
  // Started before the proxy, so the first message of the first session is in it.
  const recording = options.recordPath ? await startSessionRecording({ path: options.recordPath, bus, entries: config.entries }) : undefined;
  if (recording instanceof Error) {
    oauth.service.close();
    await children.close();
    return failWithUsage(recording.message);
  }
  let proxy: RunningProxy;
  try {
    proxy = await startProxy({
      catalog,
      bus,
      host: options.host,
      port: options.port,
      token: options.token,
      idleTimeoutMs: options.idleTimeoutMs,
      faults,
      session: { childTracker: children, remoteAuth: oauth.remoteAuth },
    });
  } catch (error) {
    if (error instanceof FaultPlanError) {
      await children.close();
      return failWithUsage(error.message);
    }
    const failure = describeStartFailure(error, options);
    await children.close();
    printError(`error: ${failure.message}`);
    return exit(failure.exitCode);
  }

  runningProxy = proxy;
  stopOnSignals(proxy, async () => {
    oauth.service.close();
    // Saved before the sessions close (as the app does on quit), so a server that is slow to stop cannot lose it.
    if (recording) print(await recording.save());
    await proxy.close();
    await children.close();
  });
  if (orphanLine) print(orphanLine);
  if (recording) print(`RECORDING every server's messages to ${recording.path} (saved when serve stops)`);
  // Faults are never on by surprise: each plan is printed with its seed, to replay the run with --fault-seed.
  for (const [server, plan] of Object.entries(proxy.faults.list())) {
    print(`FAULTS ON for "${server}" (seed ${plan.seed}): ${plan.faults.map((fault) => `${describeFault(fault)}${fault.enabled ? '' : ' (off)'}`).join('; ')}`);
  }
  for (const line of formatStartupBanner({
    proxyUrl: proxy.url,
    token: proxy.token,
    configPath: options.configPath,
    formatDescription: describeConfigFormat(configFormat(config.format)),
    entries: config.entries,
  })) {
    print(line);
  }
}

function failWithUsage(message: string): void {
  printError(`error: ${message}`);
  printError(SERVE_USAGE);
  exit(EXIT_USAGE);
}

main().catch((error: unknown) => {
  printError(`error: ${error instanceof Error ? error.message : String(error)}`);
  exit(EXIT_FAILED);
});
