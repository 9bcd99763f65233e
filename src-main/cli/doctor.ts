// `npm run doctor -- --config FILE --server NAME` (or --url URL, or --command CMD -- ARGS): diagnoses one server step
// by step and prints each check, the failed one with its fix and evidence. Exit codes: 0 every check passed
// (warnings allowed), 1 a check failed, 2 bad flags or config file.
import type { ServerEntry } from '../../src-shared/catalog';
import { ServerEntrySchema } from '../../src-shared/catalog';
import { doctorPassed } from '../../src-shared/doctor';
import { describeZodError } from '../../src-shared/zod-errors';
import { diagnoseServer } from '../services/doctor';
import { readServerFromConfig } from './config-server';
import { DOCTOR_USAGE, doctorHelp, parseDoctorArgs, UsageError, type DoctorCliOptions, type DoctorTarget } from './doctor-args';
import { formatDoctorReport } from './doctor-report';
import { exitOnFatalErrors } from './fatal-errors';
import { exitAfterFlush } from './stop-on-signals';

const EXIT_PASSED = 0;
const EXIT_FAILED = 1;
const EXIT_USAGE = 2;

const print = (line: string): void => void process.stdout.write(`${line}\n`);
const printError = (line: string): void => void process.stderr.write(`${line}\n`);

exitOnFatalErrors(() => undefined);

async function main(): Promise<void> {
  let options: DoctorCliOptions;
  let entry: ServerEntry;
  try {
    const command = parseDoctorArgs(process.argv.slice(2));
    if (command.kind === 'help') {
      print(doctorHelp());
      return exitAfterFlush(EXIT_PASSED);
    }
    options = command.options;
    entry = await entryOf(options.target);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    printError(`error: ${error.message}`);
    printError(DOCTOR_USAGE);
    return exitAfterFlush(EXIT_USAGE);
  }
  const report = await diagnoseServer(entry, { timeoutMs: options.timeoutMs, signInHint: 'sign in with `npm run connect -- --url URL` (it runs the OAuth flow), or in the app: the server\'s Auth tab' });
  if (options.json) print(JSON.stringify(report, null, 2));
  else for (const line of formatDoctorReport(report)) print(line);
  exitAfterFlush(doctorPassed(report) ? EXIT_PASSED : EXIT_FAILED);
}

/** The catalog entry the target describes, checked by the catalog's schema. */
async function entryOf(target: DoctorTarget): Promise<ServerEntry> {
  if (target.kind === 'config') return readServerFromConfig(target.configPath, target.server);
  // A URL is taken as given: whether it parses is the doctor's first check, with its fix.
  if (target.kind === 'url') return { name: URL.canParse(target.url) ? new URL(target.url).host : 'server', transport: target.transport, url: target.url, headers: {} };
  const parsed = ServerEntrySchema.safeParse({ name: target.command, transport: 'stdio', command: target.command, args: target.args, env: target.env });
  if (!parsed.success) throw new UsageError(`--command: ${describeZodError(parsed.error)}`);
  return parsed.data;
}

main().catch((error: unknown) => {
  printError(`error: ${error instanceof Error ? error.message : String(error)}`);
  exitAfterFlush(EXIT_FAILED);
});
