/**
 * The client the MCP conformance suite drives in `npm run conformance -- --client`: the suite runs
 * `tsx scripts/conformance-client.ts <serverUrl>` for each scenario, and this turns what the suite says in the
 * environment into `npm run connect`'s flags, then runs that command in this process:
 *
 *   MCP_CONFORMANCE_PROTOCOL_VERSION   the wire: 2026-07-28 is the modern era, a dated version through 2025-11-25 the
 *                                      legacy one (--era)
 *   MCP_CONFORMANCE_CONTEXT            JSON; pre-registered client credentials (auth/pre-registration) become
 *                                      --client-id and the secret (passed in the environment, not on the command line)
 *
 * Every scenario's server has the tool `test-tool`, which the step-up and migration scenarios need called after the
 * listing; the suite's fixed Client ID Metadata Document URL is given as --client-metadata-url (used only where the
 * authorization server says it supports one).
 */
import { z } from 'zod';
import { CLIENT_SECRET_ENV } from '../src-main/cli/connect-args';
import { connectCli, EXIT_USAGE, exitOnUnhandledErrors } from '../src-main/cli/connect-cli';
import { exitAfterFlush } from '../src-main/cli/stop-on-signals';
import { MODERN_PROTOCOL_VERSION } from '../src-shared/protocol-era';
import { describeZodError } from '../src-shared/zod-errors';

/** The URL the suite's CIMD scenarios expect as client_id (it does not resolve; their authorization server takes it as is). */
const SUITE_CLIENT_METADATA_URL = 'https://conformance-test.local/client-metadata.json';

/** The tool every auth scenario's server offers. */
const SCENARIO_TOOL = 'test-tool';

/** What the suite may put in MCP_CONFORMANCE_CONTEXT: the scenario's name and, for pre-registration, credentials. */
const ContextSchema = z.looseObject({
  name: z.string(),
  client_id: z.string().min(1).optional(),
  client_secret: z.string().min(1).optional(),
});

function fail(message: string): void {
  process.stderr.write(`conformance-client: ${message}\n`);
  exitAfterFlush(EXIT_USAGE);
}

async function main(): Promise<void> {
  const [serverUrl, ...extra] = process.argv.slice(2);
  if (!serverUrl || extra.length > 0) return fail(`expected one argument, the server URL; got ${process.argv.slice(2).length}`);
  const wire = process.env.MCP_CONFORMANCE_PROTOCOL_VERSION;
  const era = wire === undefined ? 'auto' : wire === MODERN_PROTOCOL_VERSION ? 'modern' : 'legacy';
  const args = [serverUrl, '--era', era, '--call', SCENARIO_TOOL, '--client-metadata-url', SUITE_CLIENT_METADATA_URL, '--timeout', '50'];
  const env: Record<string, string | undefined> = {};
  if (process.env.MCP_CONFORMANCE_CONTEXT !== undefined) {
    let raw: unknown;
    try {
      raw = JSON.parse(process.env.MCP_CONFORMANCE_CONTEXT);
    } catch (error) {
      return fail(`MCP_CONFORMANCE_CONTEXT is not JSON: ${error instanceof Error ? error.message : String(error)}`);
    }
    const context = ContextSchema.safeParse(raw);
    if (!context.success) return fail(`MCP_CONFORMANCE_CONTEXT is not what the suite sends: ${describeZodError(context.error)}`);
    if (context.data.client_id !== undefined) args.push('--client-id', context.data.client_id);
    if (context.data.client_secret !== undefined) env[CLIENT_SECRET_ENV] = context.data.client_secret;
  }
  exitAfterFlush(await connectCli(args, env));
}

exitOnUnhandledErrors();
void main();
