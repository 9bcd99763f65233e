// The headless client: `npm run connect -- URL [flags]` (connect-args.ts). Connects to one server through a proxy
// of its own, signs in with OAuth when the server asks (without a person where the authorization server allows it),
// lists the tools, calls one if asked, prints what happened and exits.
// Exit codes: 0 done, 1 the connect, sign-in, listing or call failed, 2 bad flags.
import { connectCli, EXIT_FAILED } from './connect-cli';
import { FATAL_LINE_PREFIX } from './fatal-errors';
import { exitAfterFlush } from './stop-on-signals';

// An error nobody handled is a bug: one recognizable line and exit 1, as the other hosts do.
const die = (kind: string, reason: unknown): void => {
  process.stderr.write(`${FATAL_LINE_PREFIX} ${kind}: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}\n`);
  exitAfterFlush(EXIT_FAILED);
};
process.on('unhandledRejection', (reason) => die('unhandled rejection', reason));
process.on('uncaughtException', (error) => die('uncaught exception', error));
connectCli(process.argv.slice(2), process.env).then(exitAfterFlush, (error: unknown) => die('failure', error));
