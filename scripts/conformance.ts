/**
 * `npm run conformance`: runs the MCP conformance suite's modern-era (2026-07-28) server scenarios and prints their
 * summary.
 *
 *   npm run conformance                         start the dual-era fixture over HTTP and test it
 *   npm run conformance -- --url URL            test the MCP endpoint at URL
 *   npm run conformance -- --through-proxy stdio|http
 *                                               test the fixture through a headless Patchbay proxy (`serve`), as a
 *                                               stdio server or as a remote Streamable HTTP one
 *   npm run conformance -- --client             run the suite's client auth scenarios against `npm run connect`
 *                                               (through scripts/conformance-client.ts), one at a time, at each wire
 *                                               they belong to (2026-07-28, 2025-11-25, and 2025-03-26 for the
 *                                               back-compat ones), and print a summary of them all
 *   --scenario NAME   run one scenario only        --verbose   stream the suite's own output
 *   --spec-version V  (--client) run at that wire only
 *
 * The suite needs Node 22; it and the `node` package that provides one are installed on first use into
 * node_modules/.cache/patchbay-conformance (outside the project's dependencies), and reused after that.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, stripVTControlCharacters } from 'node:util';
import crossSpawn from 'cross-spawn';

const SUITE = { name: '@modelcontextprotocol/conformance', version: '0.2.0-alpha.12' };
const NODE = { name: 'node', version: '22' };
const REVISION = '2026-07-28';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CACHE_DIR = join(REPO_ROOT, 'node_modules', '.cache', 'patchbay-conformance');
const FIXTURE = join(REPO_ROOT, 'src-main', 'test', 'fixtures', 'modern-fixture-server.mjs');
const START_TIMEOUT_MS = 30_000;

const say = (line: string): void => void process.stdout.write(`${line}\n`);
const note = (line: string): void => void process.stderr.write(`${line}\n`);

class RunnerError extends Error {}

const started: ChildProcess[] = [];
const scratch: string[] = [];

function cleanUp(): void {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  for (const folder of scratch) rmSync(folder, { recursive: true, force: true });
}

/** Runs a command to its end; rejects with its output when it fails. */
function run(command: string, args: string[], cwd: string): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const child = crossSpawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', (error) => reject(new RunnerError(`${command} could not start: ${error.message}`)));
    child.once('exit', (code) => (code === 0 ? resolvePromise(output) : reject(new RunnerError(`${command} ${args.join(' ')} exited with ${code}:\n${output.trim()}`))));
  });
}

function installedVersion(name: string): string | undefined {
  const manifest = join(CACHE_DIR, 'node_modules', ...name.split('/'), 'package.json');
  return existsSync(manifest) ? (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version : undefined;
}

/** Node 22 and the suite in the cache folder: installed once, reinstalled when the pinned versions change. */
async function ensureSuite(): Promise<{ node: string; cli: string }> {
  const node = join(CACHE_DIR, 'node_modules', 'node', 'bin', 'node');
  const cli = join(CACHE_DIR, 'node_modules', ...SUITE.name.split('/'), 'dist', 'index.js');
  const current = installedVersion(SUITE.name) === SUITE.version && installedVersion(NODE.name)?.startsWith(`${NODE.version}.`) && existsSync(node) && existsSync(cli);
  if (!current) {
    say(`Installing ${SUITE.name}@${SUITE.version} and Node ${NODE.version} (the npm "node" package) into ${CACHE_DIR} (once)…`);
    mkdirSync(CACHE_DIR, { recursive: true });
    writeFileSync(
      join(CACHE_DIR, 'package.json'),
      `${JSON.stringify({ name: 'patchbay-conformance-cache', private: true, dependencies: { [SUITE.name]: SUITE.version, [NODE.name]: NODE.version } }, null, 2)}\n`,
    );
    await run('npm', ['install', '--no-audit', '--no-fund', '--no-package-lock'], CACHE_DIR);
  }
  const version = (await run(node, ['--version'], CACHE_DIR)).trim();
  if (!version.startsWith(`v${NODE.version}.`)) {
    throw new RunnerError(`${node} is ${version || 'not runnable'}, not Node ${NODE.version}: delete ${CACHE_DIR} and run again (npm must be allowed to run the "node" package's install script)`);
  }
  say(`Using ${SUITE.name}@${installedVersion(SUITE.name)} on Node ${version}`);
  return { node, cli };
}

/**
 * The modern-era server scenarios, as the suite lists them for the 2026-07-28 requirements: the scored ones (the
 * "Server scenarios" section) and the extension and pending ones it runs but does not score (marked [server]).
 */
async function listScenarios(suite: { node: string; cli: string }): Promise<{ scored: string[]; unscored: string[] }> {
  const listing = await run(suite.node, [suite.cli, 'list', '--server', '--requirements', REVISION], CACHE_DIR);
  const sections = listing.split(/\n(?=\S)/);
  const scoredSection = sections.find((section) => section.startsWith('Server scenarios')) ?? '';
  const scored = [...scoredSection.matchAll(/^\s+-\s+(\S+)\s*$/gm)].map((match) => match[1]!);
  const unscored = [...listing.matchAll(/^\s+-\s+(\S+)\s+\[server\]\s*$/gm)].map((match) => match[1]!);
  return { scored, unscored };
}

/** Starts a process and resolves with the first match of `pattern` in its stdout. */
function startAndRead(label: string, command: string, args: string[], pattern: RegExp): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    started.push(child);
    let output = '';
    const timer = setTimeout(() => reject(new RunnerError(`${label} did not start within ${START_TIMEOUT_MS / 1000} s:\n${output.trim()}`)), START_TIMEOUT_MS);
    const read = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = pattern.exec(output);
      if (match) {
        clearTimeout(timer);
        resolvePromise(match[1]!);
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new RunnerError(`${label} exited with ${code} before it listened:\n${output.trim()}`));
    });
  });
}

function startFixture(): Promise<string> {
  return startAndRead('the modern fixture', process.execPath, [FIXTURE, '--transport', 'http', '--port', '0', '--conformance'], /listening (http:\S+)/);
}

/** A headless proxy (`serve`, no token, loopback) whose catalog holds the fixture; resolves with its MCP URL. */
async function startProxyFor(upstream: 'stdio' | 'http'): Promise<string> {
  const folder = mkdtempSync(join(tmpdir(), 'patchbay-conformance-'));
  scratch.push(folder);
  const server = upstream === 'stdio' ? { command: process.execPath, args: [FIXTURE, '--conformance'] } : { type: 'http', url: await startFixture() };
  const config = join(folder, 'mcp.json');
  writeFileSync(config, JSON.stringify({ mcpServers: { 'modern-fixture': server } }, null, 2));
  const tsx = join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
  const serveArgs = [tsx, join(REPO_ROOT, 'src-main', 'cli', 'serve.ts'), '--config', config, '--port', '0', '--no-auth', '--data-dir', join(folder, 'data')];
  const proxyUrl = await startAndRead('the proxy (npm run serve)', process.execPath, serveArgs, /Listening on (http:\S+)/);
  return `${proxyUrl}/servers/modern-fixture/mcp`;
}

/** Runs the suite with these arguments to its exit; its output goes to `logFile` (and the terminal when verbose). */
function runSuiteProcess(suite: { node: string }, args: string[], cwd: string, logFile: NodeJS.WritableStream, verbose: boolean): Promise<{ code: number; output: string }> {
  let output = '';
  return new Promise((resolvePromise, reject) => {
    const child = spawn(suite.node, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    started.push(child);
    const collect = (chunk: Buffer): void => {
      output += chunk.toString();
      logFile.write(chunk);
      if (verbose) process.stdout.write(chunk);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.once('error', (error) => reject(new RunnerError(`the conformance suite could not start: ${error.message}`)));
    child.once('exit', (exitCode) => resolvePromise({ code: exitCode ?? 1, output }));
  });
}

/** Runs the suite against `url`; its output goes to a log file (and to the terminal with --verbose). */
async function runSuite(suite: { node: string; cli: string }, url: string, scenario: string | undefined, verbose: boolean): Promise<{ code: number; summary: string; log: string; results: string }> {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const results = join(CACHE_DIR, 'results', stamp);
  const log = join(CACHE_DIR, 'results', `${stamp}.log`);
  mkdirSync(results, { recursive: true });
  const args = [suite.cli, 'server', '--url', url, ...(scenario ? ['--scenario', scenario, '--spec-version', REVISION] : ['--requirements', REVISION]), '--output-dir', results];
  const logFile = createWriteStream(log);
  const { code, output } = await runSuiteProcess(suite, args, CACHE_DIR, logFile, verbose);
  await new Promise((done) => logFile.end(done));
  // The summary is everything from the suite's SUMMARY heading on (a single scenario prints "Test Results:" instead).
  const plain = stripVTControlCharacters(output);
  const from = plain.lastIndexOf('=== SUMMARY ===') >= 0 ? plain.lastIndexOf('=== SUMMARY ===') : plain.lastIndexOf('Test Results:');
  return { code, summary: from >= 0 ? plain.slice(from).trim() : plain.trim().split('\n').slice(-20).join('\n'), log, results };
}

/** The wires the client auth scenarios are run at: the modern era, the last legacy revision, and 2025-03-26's back-compat. */
const CLIENT_WIRES = ['2026-07-28', '2025-11-25', '2025-03-26'] as const;
/** How long one client run may take (the suite's default is 30 s; a tsx start under load eats into it). */
const CLIENT_SCENARIO_TIMEOUT_MS = 90_000;
const CLIENT_ADAPTER = join(REPO_ROOT, 'scripts', 'conformance-client.ts');

interface ClientRun {
  scenario: string;
  wire: string;
}

interface ClientOutcome extends ClientRun {
  passed: boolean;
  /** "Passed: 13/13, 0 failed, 0 warnings" as the suite says it. */
  counts: string;
  /** The suite's lines about failed and warning checks, client timeouts and exits. */
  problems: string[];
}

/**
 * The auth scenarios the suite has for clients (extensions left out: not part of any revision's requirements), each
 * with the wires of CLIENT_WIRES it applies to, as `conformance list --client` tags them.
 */
async function listClientRuns(suite: { node: string; cli: string }): Promise<ClientRun[]> {
  const listing = await run(suite.node, [suite.cli, 'list', '--client'], CACHE_DIR);
  const runs: ClientRun[] = [];
  for (const match of listing.matchAll(/^\s+-\s+(auth\/\S+)\s+\[([^\]]+)\]\s*$/gm)) {
    const versions = match[2]!.split(',').map((version) => version.trim());
    for (const wire of CLIENT_WIRES) if (versions.includes(wire)) runs.push({ scenario: match[1]!, wire });
  }
  return runs;
}

/** Runs one scenario at one wire with the connect command as the client; the suite's own output goes to the log. */
async function runClientScenario(suite: { node: string; cli: string }, target: ClientRun, results: string, logFile: NodeJS.WritableStream, verbose: boolean): Promise<ClientOutcome> {
  const tsx = join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
  // The suite splits the command on spaces and appends the server URL.
  const command = [process.execPath, tsx, CLIENT_ADAPTER].join(' ');
  const args = [suite.cli, 'client', '--command', command, '--scenario', target.scenario, '--spec-version', target.wire, '--timeout', String(CLIENT_SCENARIO_TIMEOUT_MS), '--output-dir', results];
  const { code, output } = await runSuiteProcess(suite, args, REPO_ROOT, logFile, verbose);
  const plain = stripVTControlCharacters(output);
  const counts = /Passed: \d+\/\d+, \d+ failed, \d+ warnings/.exec(plain)?.[0] ?? 'no results';
  const overall = /OVERALL: (PASSED|FAILED)/.exec(plain)?.[1];
  // The suite lists failed and warning checks as "  - Name: description" under those headings, before OVERALL.
  const checksFrom = Math.min(...['Failed Checks:', 'Warning Checks:'].map((heading) => plain.indexOf(heading)).filter((at) => at >= 0), plain.length);
  const problems = plain
    .slice(checksFrom, plain.lastIndexOf('OVERALL:') >= 0 ? plain.lastIndexOf('OVERALL:') : plain.length)
    .split('\n')
    .filter((line) => /^\s+- /.test(line))
    .map((line) => line.trim());
  for (const line of plain.split('\n')) if (/CLIENT (TIMED OUT|EXITED WITH ERROR)/.test(line)) problems.push(line.trim());
  return { ...target, passed: code === 0 && overall === 'PASSED', counts, problems };
}

/** `--client`: every client auth scenario at each of its wires, one after the other, then one summary. */
async function runClientScenarios(suite: { node: string; cli: string }, scenario: string | undefined, wire: string | undefined, verbose: boolean): Promise<number> {
  if (REPO_ROOT.includes(' ') || process.execPath.includes(' ')) throw new RunnerError(`the suite splits its client command on spaces, so ${REPO_ROOT} and ${process.execPath} must not contain one`);
  if (wire !== undefined && !(CLIENT_WIRES as readonly string[]).includes(wire)) throw new RunnerError(`--spec-version takes ${CLIENT_WIRES.join(', ')}, not "${wire}"`);
  const all = await listClientRuns(suite);
  const runs = all.filter((target) => (scenario === undefined || target.scenario === scenario) && (wire === undefined || target.wire === wire));
  if (runs.length === 0) throw new RunnerError(`no client auth scenario matches${scenario ? ` ${scenario}` : ''}${wire ? ` at ${wire}` : ''}; the suite has: ${[...new Set(all.map((target) => target.scenario))].join(', ')}`);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const results = join(CACHE_DIR, 'results', `client-${stamp}`);
  const log = join(CACHE_DIR, 'results', `client-${stamp}.log`);
  mkdirSync(results, { recursive: true });
  const logFile = createWriteStream(log);
  say(`Running ${runs.length} client auth scenario run${runs.length === 1 ? '' : 's'} against npm run connect, one at a time…`);
  const outcomes: ClientOutcome[] = [];
  for (const target of runs) {
    const outcome = await runClientScenario(suite, target, results, logFile, verbose);
    outcomes.push(outcome);
    say(`  ${outcome.passed ? 'PASS' : 'FAIL'}  ${outcome.wire}  ${outcome.scenario.padEnd(44)} ${outcome.counts}`);
    for (const problem of outcome.problems) say(`          ${problem}`);
  }
  await new Promise((done) => logFile.end(done));
  const failed = outcomes.filter((outcome) => !outcome.passed);
  say('');
  say('=== CLIENT AUTH SUMMARY ===');
  for (const wireName of CLIENT_WIRES) {
    const atWire = outcomes.filter((outcome) => outcome.wire === wireName);
    if (atWire.length === 0) continue;
    say(`${wireName}: ${atWire.filter((outcome) => outcome.passed).length}/${atWire.length} scenarios passed${atWire.some((outcome) => !outcome.passed) ? ` (failed: ${atWire.filter((outcome) => !outcome.passed).map((outcome) => outcome.scenario).join(', ')})` : ''}`);
  }
  say(`Total: ${outcomes.length - failed.length} passed, ${failed.length} failed`);
  say('');
  say(`Full output: ${log}`);
  say(`Checks per scenario: ${results}`);
  return failed.length === 0 ? 0 : 1;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      url: { type: 'string' },
      'through-proxy': { type: 'string' },
      client: { type: 'boolean' },
      scenario: { type: 'string' },
      'spec-version': { type: 'string' },
      verbose: { type: 'boolean' },
      help: { type: 'boolean' },
    },
    allowPositionals: false,
  });
  if (values.help) {
    say(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('*/')[0]!.replace(/^\/\*\*|^ \* ?/gm, ''));
    return 0;
  }
  const throughProxy = values['through-proxy'];
  if (throughProxy !== undefined && throughProxy !== 'stdio' && throughProxy !== 'http') throw new RunnerError(`--through-proxy takes stdio or http, not "${throughProxy}"`);
  if (throughProxy && values.url) throw new RunnerError('--url and --through-proxy cannot be used together');
  if (values.client && (throughProxy || values.url)) throw new RunnerError('--client tests Patchbay\'s client; --url and --through-proxy are for the server scenarios');
  if (values['spec-version'] !== undefined && !values.client) throw new RunnerError('--spec-version is for --client (the server scenarios run at the 2026-07-28 requirements)');

  const suite = await ensureSuite();
  if (values.client) return runClientScenarios(suite, values.scenario, values['spec-version'], values.verbose ?? false);
  const scenarios = await listScenarios(suite);
  say(`Modern-era (${REVISION}) server scenarios the suite requires (${scenarios.scored.length}): ${scenarios.scored.join(', ')}`);
  say(`Also run, not scored (${scenarios.unscored.length}): ${scenarios.unscored.join(', ')}`);

  let url = values.url;
  let target = url ? `the server at ${url}` : '';
  if (throughProxy) {
    url = await startProxyFor(throughProxy);
    target = `the fixture through the proxy (${throughProxy} upstream) at ${url}`;
  } else if (!url) {
    url = await startFixture();
    target = `the modern fixture at ${url}`;
  }
  say(`Running ${values.scenario ? `scenario ${values.scenario}` : `the ${REVISION} requirements`} against ${target}…`);
  const outcome = await runSuite(suite, url, values.scenario, values.verbose ?? false);
  say('');
  say(outcome.summary);
  say('');
  say(`Full output: ${outcome.log}`);
  say(`Checks per scenario: ${outcome.results}`);
  return outcome.code;
}

process.once('SIGINT', () => {
  cleanUp();
  process.exit(130);
});
main()
  .then((code) => {
    cleanUp();
    process.exitCode = code;
  })
  .catch((error: unknown) => {
    cleanUp();
    note(`conformance: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 2;
  });
