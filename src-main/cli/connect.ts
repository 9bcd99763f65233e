// The headless client: `npm run connect -- URL [flags]` (connect-args.ts). Connects to one server through a proxy
// of its own, signs in with OAuth when the server asks (without a person where the authorization server allows it),
// lists the tools, calls one if asked, prints what happened and exits.
// Exit codes: 0 done, 1 the connect, sign-in, listing or call failed, 2 bad flags.
import { connectCli, exitOnUnhandledErrors } from './connect-cli';
import { exitAfterFlush } from './stop-on-signals';

exitOnUnhandledErrors();
void connectCli(process.argv.slice(2), process.env).then(exitAfterFlush);
