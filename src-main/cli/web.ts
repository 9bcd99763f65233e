// Web mode: the app's services in Node, the built renderer served on 127.0.0.1, and an HTTP bridge for the api.
// `npm run web -- [--port 6280] [--data-dir DIR] [--token T] [--idle-timeout SECONDS]`. For development and the end-to-end tests.
import { fileURLToPath } from 'node:url';
import { startAppServices, type AppServices } from '../services/app-services';
import { finderContextFor } from '../services/config-finder';
import { describeOrphans } from '../services/proxy/child-record';
import { mountStaticRenderer } from '../services/web/static-renderer';
import { mountWebBridge } from '../services/web/web-bridge';
import { exitOnFatalErrors } from './fatal-errors';
import { UsageError } from './serve-args';
import { exitAfterFlush, stopOnSignals } from './stop-on-signals';
import { parseWebArgs, WEB_USAGE } from './web-args';

const RENDERER_FOLDER = fileURLToPath(new URL('../../out/renderer', import.meta.url));

let runningServices: AppServices | undefined;
exitOnFatalErrors(() => runningServices?.proxy);

async function main(): Promise<void> {
  let options;
  try {
    options = parseWebArgs(process.argv.slice(2), process.env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`error: ${error.message}\n${WEB_USAGE}\n`);
    return exitAfterFlush(2);
  }
  const services = await startAppServices({
    dataDir: options.dataDir,
    host: 'web',
    port: options.port,
    token: options.token,
    // PATCHBAY_FIND_CONFIGS_HOME (web mode only) points "Find my configs" at a prepared home folder.
    finderContext: finderContextFor(process.env, { honourFakeHome: true, cwd: process.cwd() }),
    idleTimeoutMs: options.idleTimeoutMs,
    onWarning: (message) => process.stderr.write(`warning: ${message}\n`),
    publicRoutes: (app) => mountStaticRenderer(app, RENDERER_FOLDER, () => runningServices?.appSandbox.origin),
    privateRoutes: (app, ready) => mountWebBridge(app, ready),
  });
  runningServices = services;
  stopOnSignals(services.proxy, () => services.close());
  const { problem } = services.catalog.loadReport;
  if (problem) process.stderr.write(`warning: ${problem}\n`);
  for (const orphanProblem of services.orphans.problems) process.stderr.write(`warning: ${orphanProblem}\n`);
  if (services.orphans.unsupported) process.stderr.write(`note: ${services.orphans.unsupported}\n`);
  const orphanLine = describeOrphans(services.orphans);
  if (orphanLine) process.stdout.write(`${orphanLine}\n`);
  process.stdout.write(`MCP Patchbay (web mode) catalog: ${services.catalog.path}\n`);
  process.stdout.write(`Open: ${services.proxy.url}/#token=${services.proxy.token}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
  exitAfterFlush(1);
});
