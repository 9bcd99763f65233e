// What `npm run connect` does for a command line, as a function: connect.ts runs it as the process, the conformance
// suite's client (scripts/conformance-client.ts) and the tests call it in-process.
import { CONNECT_USAGE, connectHelp, parseConnectArgs } from './connect-args';
import { UsageError } from './serve-args';
import { formatConnectReport } from './connect-report';
import { runConnect } from './connect-run';
import { FATAL_LINE_PREFIX } from './fatal-errors';
import { exitAfterFlush } from './stop-on-signals';

export const EXIT_CONNECTED = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

const print = (line: string): void => void process.stdout.write(`${line}\n`);
const printError = (line: string): void => void process.stderr.write(`${line}\n`);

/**
 * Runs the command for these arguments and resolves with its exit code; what it prints goes to stdout (the report)
 * and stderr (usage errors, and what a person must do to sign in).
 */
export async function connectCli(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): Promise<number> {
  let command;
  try {
    command = parseConnectArgs(argv, env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    printError(`error: ${error.message}`);
    printError(CONNECT_USAGE);
    return EXIT_USAGE;
  }
  if (command.kind === 'help') {
    print(connectHelp());
    return EXIT_CONNECTED;
  }
  const report = await runConnect(command.options, {
    onSignInUrl: (url, why) => {
      printError(`The authorization server needs a person to sign in (${why}).`);
      printError(`Open this URL in a browser to sign in; waiting for its redirect (--timeout ${command.options.timeoutMs / 1000} s):`);
      printError(url);
    },
  });
  if (command.options.json) print(JSON.stringify(report, null, 2));
  else for (const line of formatConnectReport(report)) (line.startsWith('error: ') ? printError : print)(line);
  return report.ok ? EXIT_CONNECTED : EXIT_FAILED;
}

/** An error nobody handled is a bug: one recognizable line (the tests look for it) and exit 1, as the other hosts do. */
export function exitOnUnhandledErrors(): void {
  const die = (kind: string, reason: unknown): void => {
    printError(`${FATAL_LINE_PREFIX} ${kind}: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`);
    exitAfterFlush(EXIT_FAILED);
  };
  process.on('unhandledRejection', (reason) => die('unhandled rejection', reason));
  process.on('uncaughtException', (error) => die('uncaught exception', error));
}
