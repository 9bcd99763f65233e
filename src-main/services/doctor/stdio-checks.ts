import { accessSync, constants, openSync, readSync, closeSync, statSync } from 'node:fs';
import { basename, delimiter, isAbsolute, resolve as resolvePath } from 'node:path';
import which from 'which';
import { Client, SUPPORTED_PROTOCOL_VERSIONS, type JSONRPCMessage, type Transport } from '@modelcontextprotocol/client';
import type { StdioServerEntry } from '../../../src-shared/catalog';
import type { DoctorEvidence } from '../../../src-shared/doctor';
import { MODERN_PROTOCOL_VERSION, versionNegotiationFor } from '../../../src-shared/protocol-era';
import { ChildProcessTransport, describeChildExit } from '../proxy/child-process-transport';
import { errorMessage } from '../proxy/proxy-utils';
import type { CheckOutcome, DoctorStep } from './check-runner';
import { formatSeconds } from './check-runner';

/** Both eras, as the doctor names them to the user (the SDK's own list is the legacy era's negotiation only). */
const PATCHBAY_VERSIONS = `${MODERN_PROTOCOL_VERSION} (modern) and ${SUPPORTED_PROTOCOL_VERSIONS.join(', ')} (legacy)`;

/** What the stdio checks share: the entry, the child's environment, and what each step found for the next. */
export interface StdioDoctorContext {
  entry: StdioServerEntry;
  /** The environment the child gets (the proxy's own plus the entry's variables). */
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  /** How long a freshly started server must stay up, before anything is sent, to count as started. */
  stayUpMs: number;
  /** How long the server gets to answer the handshake. */
  handshakeTimeoutMs: number;
  resolvedPath?: string;
  child?: ChildProcessTransport;
  /** Lines on stdout that were not JSON-RPC, with how many messages had come before each. */
  strayStdout: Array<{ line: string; messagesBefore: number }>;
  stderr: string[];
  messagesSeen: number;
  handshake?: { era: string; protocolVersion: string; server: string; durationMs: number };
}

export function newStdioContext(entry: StdioServerEntry, env: NodeJS.ProcessEnv, options: { stayUpMs?: number; handshakeTimeoutMs?: number; platform?: NodeJS.Platform } = {}): StdioDoctorContext {
  return {
    entry,
    env,
    platform: options.platform ?? process.platform,
    stayUpMs: options.stayUpMs ?? 1_500,
    handshakeTimeoutMs: options.handshakeTimeoutMs ?? 10_000,
    strayStdout: [],
    stderr: [],
    messagesSeen: 0,
  };
}

/** Stderr lines kept for the report: the last ones say why a server stopped. */
const STDERR_KEPT = 40;
/** Stderr lines shown as evidence. */
const STDERR_SHOWN = 12;
/** Launchers that fetch and run a package; when missing, the fix names what installs them. */
const LAUNCHER_SOURCES: Readonly<Record<string, string>> = {
  npx: 'npx comes with Node.js: install Node.js (nodejs.org), or give the full path to npx as the command.',
  node: 'Install Node.js (nodejs.org), or give the full path to node as the command.',
  uvx: 'uvx comes with uv: install uv (docs.astral.sh/uv), or give the full path to uvx as the command.',
  uv: 'Install uv (docs.astral.sh/uv), or give the full path to uv as the command.',
  docker: 'Install Docker and make sure it is running, or give the full path to docker as the command.',
  python: 'Install Python, or give the full path to the interpreter as the command (on many systems it is python3).',
};

function searchedPath(context: StdioDoctorContext): string {
  return context.env.PATH ?? context.env.Path ?? '';
}

function pathEvidence(context: StdioDoctorContext): DoctorEvidence {
  const path = searchedPath(context);
  return { label: 'PATH searched', text: path ? path.split(delimiter).join('\n') : '(no PATH is set)' };
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Whether a command names a file (has a directory part) rather than a name to look up on PATH. */
function namesAFile(command: string, platform: NodeJS.Platform): boolean {
  return command.includes('/') || (platform === 'win32' && command.includes('\\'));
}

/** The command resolves to an executable file: on PATH (which `which` searches, PATHEXT on Windows) or as given. */
export async function checkCommandResolves(context: StdioDoctorContext): Promise<CheckOutcome> {
  const { command, cwd } = context.entry;
  if (namesAFile(command, context.platform)) {
    const path = isAbsolute(command) ? command : resolvePath(cwd ?? process.cwd(), command);
    let isFile: boolean;
    try {
      isFile = statSync(path).isFile();
    } catch {
      return { status: 'failed', detail: `The command "${command}" names a file that does not exist (${path}).`, fix: 'Check the path of the command; a relative path is taken from the working directory.' };
    }
    if (!isFile) return { status: 'failed', detail: `The command "${command}" is not a file (${path}).`, fix: 'Give the path of the program itself, not its folder.' };
    if (context.platform !== 'win32' && !isExecutable(path)) {
      return { status: 'failed', detail: `"${path}" exists but is not executable.`, fix: `Make it executable (chmod +x ${path}), or start it with its interpreter (for example node or python) as the command.` };
    }
    context.resolvedPath = path;
    return { status: 'passed', detail: `"${command}" is ${path}.` };
  }
  const found = which.sync(command, { path: searchedPath(context), nothrow: true });
  if (found) {
    context.resolvedPath = found;
    const shim = context.platform === 'win32' && /\.(cmd|bat)$/i.test(found) ? ' It is a .cmd shim, which Patchbay starts through cmd.exe as npm and uv install it.' : '';
    return { status: 'passed', detail: `"${command}" is ${found}.${shim}`, evidence: [pathEvidence(context)] };
  }
  // Found somewhere on PATH but not executable: which skips such files, so look for them by name.
  const notExecutable = searchedPath(context)
    .split(delimiter)
    .filter((dir) => dir.length > 0)
    .map((dir) => resolvePath(dir, command))
    .find((path) => {
      try {
        return statSync(path).isFile();
      } catch {
        return false;
      }
    });
  if (notExecutable) {
    return { status: 'failed', detail: `"${command}" was found at ${notExecutable}, but it is not executable.`, fix: `Make it executable (chmod +x ${notExecutable}).`, evidence: [pathEvidence(context)] };
  }
  const name = basename(command).replace(/\.(cmd|exe|bat)$/i, '').toLowerCase();
  const launcherFix = LAUNCHER_SOURCES[name] ?? LAUNCHER_SOURCES[name.replace(/3$/, '')];
  const windowsNote = context.platform === 'win32' ? ' On Windows, npx and uvx are .cmd shims: PATHEXT must include .CMD.' : '';
  return {
    status: 'failed',
    detail: `The command "${command}" was not found on the PATH.`,
    fix: `${launcherFix ?? `Install ${command}, or give its full path as the command.`} An app started from the desktop may see a shorter PATH than your terminal.${windowsNote}`,
    evidence: [pathEvidence(context)],
  };
}

/** The interpreter a script names in its `#!` line exists. */
export async function checkShebangInterpreter(context: StdioDoctorContext): Promise<CheckOutcome> {
  const path = context.resolvedPath;
  if (!path) return { status: 'skipped', detail: 'The command did not resolve to a file.' };
  if (context.platform === 'win32') return { status: 'skipped', detail: 'Windows does not read #! lines.' };
  const firstLine = readFirstLine(path);
  if (!firstLine.startsWith('#!')) return { status: 'passed', detail: 'The command is a program, not a script with a #! line.' };
  const words = firstLine.slice(2).trim().split(/\s+/);
  const interpreter = words[0] ?? '';
  // `#!/usr/bin/env node` (or `env -S node --flag`) looks the program up on PATH.
  const envTarget = basename(interpreter) === 'env' ? words.slice(1).find((word) => !word.startsWith('-')) : undefined;
  const evidence = [{ label: `First line of ${path}`, text: firstLine }];
  if (envTarget) {
    const found = which.sync(envTarget, { path: searchedPath(context), nothrow: true });
    if (found) return { status: 'passed', detail: `The script runs with ${envTarget}, found at ${found}.`, evidence };
    return {
      status: 'failed',
      detail: `The script's #! line asks for "${envTarget}", which is not on the PATH.`,
      fix: `${LAUNCHER_SOURCES[envTarget] ?? `Install ${envTarget}.`} Or make the command ${envTarget}'s full path with the script as its first argument.`,
      evidence: [...evidence, pathEvidence(context)],
    };
  }
  if (isExecutable(interpreter)) return { status: 'passed', detail: `The script runs with ${interpreter}.`, evidence };
  return { status: 'failed', detail: `The script's #! line names ${interpreter}, which does not exist or is not executable.`, fix: `Install the interpreter at ${interpreter}, or change the #! line to #!/usr/bin/env and its name.`, evidence };
}

function readFirstLine(path: string): string {
  const buffer = Buffer.alloc(256);
  const fd = openSync(path, 'r');
  try {
    const read = readSync(fd, buffer, 0, buffer.length, 0);
    return buffer.subarray(0, read).toString('utf8').split('\n')[0]!.replace(/\r$/, '');
  } finally {
    closeSync(fd);
  }
}

/** The process starts and is still running after a moment, before anything is sent to it. */
export async function checkProcessStarts(context: StdioDoctorContext): Promise<CheckOutcome> {
  const child = new ChildProcessTransport({
    command: context.entry.command,
    args: context.entry.args,
    env: context.env,
    cwd: context.entry.cwd,
    maxMessageBytes: 16 * 1024 * 1024,
    killGraceMs: 1_000,
    onStderrLine: (line) => {
      context.stderr.push(line);
      if (context.stderr.length > STDERR_KEPT) context.stderr.shift();
    },
    onStdoutLine: (line) => context.strayStdout.push({ line, messagesBefore: context.messagesSeen }),
  });
  context.child = child;
  try {
    await child.start();
  } catch (error) {
    return { status: 'failed', detail: `The process could not be started: ${errorMessage(error)}.`, fix: 'Check the command, its arguments and the working directory.' };
  }
  await waitForExit(child, context.stayUpMs);
  const exit = child.exit;
  if (!exit) return { status: 'passed', detail: `The process started (pid ${child.pid}) and was still running after ${formatSeconds(context.stayUpMs)}.` };
  // Let the last stderr lines arrive: they are written just before the exit.
  await new Promise((resolve) => setTimeout(resolve, 100));
  return {
    status: 'failed',
    detail: `The process ${describeChildExit(exit)} right after it started, before anything was sent to it.`,
    fix: context.stderr.length > 0 ? 'Read what it wrote to stderr (below): it usually says what is missing.' : 'Run the same command in a terminal to see why it stops.',
    evidence: stderrEvidence(context),
  };
}

function stderrEvidence(context: StdioDoctorContext): DoctorEvidence[] {
  return context.stderr.length > 0 ? [{ label: 'stderr', text: context.stderr.slice(-STDERR_SHOWN).join('\n') }] : [];
}

function waitForExit(child: ChildProcessTransport, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const started = Date.now();
    const poll = setInterval(() => {
      if (child.exit || Date.now() - started >= timeoutMs) {
        clearInterval(poll);
        resolve();
      }
    }, 25);
  });
}

/**
 * Carries the SDK client's messages over the started child and counts the child's messages, so a stray stdout line
 * can be placed before or between them. Closing it leaves the child to the runner, which ends it.
 */
class CountingTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  readonly sent: string[] = [];

  constructor(
    private readonly child: ChildProcessTransport,
    private readonly context: StdioDoctorContext,
  ) {
    child.onmessage = (message) => {
      context.messagesSeen += 1;
      this.onmessage?.(message as JSONRPCMessage);
    };
    child.onerror = (error) => this.onerror?.(error);
    child.onclose = () => this.onclose?.();
  }

  async start(): Promise<void> {}

  async send(message: JSONRPCMessage): Promise<void> {
    if ('method' in message && 'id' in message) this.sent.push(message.method);
    await this.child.send(message as Parameters<ChildProcessTransport['send']>[0]);
  }

  async close(): Promise<void> {}
}

/** The server answers the handshake (initialize, or server/discover for the modern era) in time, with the real SDK client. */
export async function checkHandshake(context: StdioDoctorContext): Promise<CheckOutcome> {
  const child = context.child;
  if (!child || child.exit) return { status: 'skipped', detail: 'The process is not running.' };
  const transport = new CountingTransport(child, context);
  const client = new Client(
    { name: 'mcp-patchbay-doctor', version: '0.1.0' },
    { capabilities: {}, versionNegotiation: { mode: versionNegotiationFor(context.entry.protocolEra ?? 'auto'), probe: { timeoutMs: context.handshakeTimeoutMs } } },
  );
  const started = performance.now();
  try {
    await client.connect(transport, { timeout: context.handshakeTimeoutMs });
    const durationMs = Math.round(performance.now() - started);
    const server = client.getServerVersion();
    context.handshake = {
      era: client.getProtocolEra() ?? 'legacy',
      protocolVersion: client.getNegotiatedProtocolVersion() ?? 'unknown',
      server: server ? `${server.name} ${server.version}` : 'The server',
      durationMs,
    };
    // One more round trip, so that a line the server prints after the handshake is seen between messages.
    await client.ping({ timeout: context.handshakeTimeoutMs }).catch(() => undefined);
  } catch (error) {
    return handshakeFailure(context, child, transport, error);
  } finally {
    await client.close().catch(() => undefined);
  }
  const { handshake } = context;
  const method = handshake.era === 'modern' ? 'server/discover' : 'initialize';
  if (handshake.durationMs > context.handshakeTimeoutMs / 2) {
    return { status: 'warning', detail: `${handshake.server} answered ${method}, but slowly (${formatSeconds(handshake.durationMs)}).`, fix: 'Hosts give up on slow servers: start heavy work after the handshake, not before it.' };
  }
  return { status: 'passed', detail: `${handshake.server} answered ${method} in ${handshake.durationMs} ms.` };
}

function handshakeFailure(context: StdioDoctorContext, child: ChildProcessTransport, transport: CountingTransport, error: unknown): CheckOutcome {
  const asked = [...new Set(transport.sent)].join(', then ') || 'the handshake';
  const exit = child.exit;
  if (exit) {
    return {
      status: 'failed',
      detail: `The process ${describeChildExit(exit)} while Patchbay waited for its answer to ${asked}.`,
      fix: 'Read what it wrote to stderr (below); a server must keep running and read requests from stdin.',
      evidence: stderrEvidence(context),
    };
  }
  const message = errorMessage(error);
  if (/protocol version/i.test(message)) {
    return { status: 'failed', detail: `The server answered, but with a protocol version Patchbay does not speak: ${message}.`, fix: `Update the server or its MCP SDK; Patchbay speaks ${PATCHBAY_VERSIONS}.` };
  }
  const timedOut = /timed? ?out/i.test(message);
  return {
    status: 'failed',
    detail: timedOut ? `The server is running but never answered ${asked} (waited ${formatSeconds(context.handshakeTimeoutMs)}).` : `The handshake failed: ${message}.`,
    fix: timedOut
      ? 'The server must answer initialize on stdout once it has started: check that it connects its stdio transport and does not wait for something else first (a prompt, a network call, a login).'
      : "Read the error and the server's stderr (below).",
    evidence: stderrEvidence(context),
  };
}

/** Nothing but JSON-RPC on stdout: a banner or a stray log line breaks clients that read stdout strictly. */
export async function checkStdoutCarriesOnlyJsonRpc(context: StdioDoctorContext): Promise<CheckOutcome> {
  if (!context.child) return { status: 'skipped', detail: 'The process was not started.' };
  if (context.strayStdout.length === 0) {
    if (context.messagesSeen === 0) return { status: 'skipped', detail: 'The server wrote nothing to stdout, so there was nothing to check.' };
    return { status: 'passed', detail: `Every line the server wrote to stdout (${context.messagesSeen}) was a JSON-RPC message.` };
  }
  const first = context.strayStdout[0]!;
  const where = first.messagesBefore === 0 ? 'before its first message' : `after ${first.messagesBefore} message${first.messagesBefore === 1 ? '' : 's'}`;
  const count = context.strayStdout.length;
  return {
    status: 'failed',
    detail: `The server wrote ${count === 1 ? 'a line' : `${count} lines`} to stdout that ${count === 1 ? 'is' : 'are'} not JSON-RPC, the first ${where}. Stdout is the protocol channel: many clients stop at such a line.`,
    fix: 'Send logs, banners and debug output to stderr instead of stdout (console.error in Node.js, print(..., file=sys.stderr) in Python, logging to stderr in other languages).',
    evidence: [{ label: count === 1 ? 'Offending stdout line' : 'Offending stdout lines', text: context.strayStdout.slice(0, 5).map((stray) => stray.line).join('\n') }],
  };
}

/** The server and Patchbay share a protocol version. */
export async function checkProtocolVersion(context: StdioDoctorContext): Promise<CheckOutcome> {
  const handshake = context.handshake;
  if (!handshake) return { status: 'skipped', detail: 'There was no handshake.' };
  return { status: 'passed', detail: `Both speak ${handshake.protocolVersion} (the ${handshake.era} era). Patchbay speaks ${PATCHBAY_VERSIONS}.` };
}

/** Sentences servers write when a variable they need is missing, each catching the variable's name. */
const MISSING_ENV_PATTERNS = [
  /\b([A-Z][A-Z0-9_]{2,})\b[^.\n]{0,40}?\b(?:is not set|not set|is required|is missing|must be set|is undefined|not defined|not found in (?:the )?environment)/,
  /(?:missing|required|set the|unset|undefined|no)\s+(?:environment variable|env var(?:iable)?|env)[s:]*\s+['"`]?([A-Z][A-Z0-9_]{2,})/i,
  /(?:environment variable|env var)\s+['"`]?([A-Z][A-Z0-9_]{2,})['"`]?\s+(?:is )?(?:not set|missing|required|undefined)/i,
  /KeyError: ['"]([A-Z][A-Z0-9_]{2,})['"]/,
];

/** Environment variables the server's stderr says it needs and that are not set for it. */
export async function checkEnvironmentVariables(context: StdioDoctorContext): Promise<CheckOutcome> {
  if (!context.child) return { status: 'skipped', detail: 'The process was not started.' };
  const missing = new Map<string, string>();
  for (const line of context.stderr) {
    for (const pattern of MISSING_ENV_PATTERNS) {
      const name = pattern.exec(line)?.[1];
      if (name && !context.env[name] && !missing.has(name)) missing.set(name, line);
    }
  }
  if (missing.size === 0) return { status: 'passed', detail: 'The server\'s stderr names no environment variable as missing.' };
  const names = [...missing.keys()];
  return {
    status: 'failed',
    detail: `The server says it needs ${names.join(', ')}, and ${names.length === 1 ? 'it is' : 'they are'} not set for it.`,
    fix: `Add ${names.join(', ')} to the server's environment variables (its env in the config), with the value the server's documentation asks for.`,
    evidence: [{ label: 'stderr', text: [...missing.values()].join('\n') }],
  };
}

/** The stdio checks, in the order they run. */
export const STDIO_STEPS: ReadonlyArray<DoctorStep<StdioDoctorContext>> = [
  { id: 'command-resolves', title: 'The command is found', run: checkCommandResolves },
  { id: 'shebang-interpreter', title: 'Its interpreter is found', needs: ['command-resolves'], run: checkShebangInterpreter },
  { id: 'process-starts', title: 'The process starts and stays up', needs: ['command-resolves', 'shebang-interpreter'], timeoutMs: (context) => context.stayUpMs + 10_000, run: checkProcessStarts },
  { id: 'handshake', title: 'It answers the handshake in time', needs: ['process-starts'], timeoutMs: (context) => 2 * context.handshakeTimeoutMs + 2_000, run: checkHandshake },
  { id: 'stdout-json-only', title: 'Stdout carries only JSON-RPC', needs: ['command-resolves'], run: checkStdoutCarriesOnlyJsonRpc },
  { id: 'protocol-version', title: 'A protocol version in common', needs: ['handshake'], run: checkProtocolVersion },
  { id: 'environment-variables', title: 'The environment variables it reads are set', needs: ['command-resolves'], run: checkEnvironmentVariables },
];
