import type { ChildProcess } from 'node:child_process';
import crossSpawn from 'cross-spawn';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { isJsonRpcEnvelope } from '../../../src-shared/jsonrpc';
import { JsonLineReader } from './json-line-reader';
import { signalProcessTree, USES_PROCESS_GROUPS, type SignalProcess } from './kill-process-tree';
import { checkWorkingDirectory, describeSpawnError } from './spawn-errors';

export interface ChildProcessTransportOptions {
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd?: string;
  /** Largest single message accepted from the child's stdout. */
  maxMessageBytes: number;
  /** How long a child gets to exit after SIGTERM before the whole tree is killed. */
  killGraceMs: number;
  onSpawn?: (pid: number) => void;
  /** Called once the child's tree has been ended (or ended by itself) and the transport is done with it. */
  onFinished?: (pid: number) => void;
  onStderrLine?: (line: string) => void;
  /** Sends the signals that end the tree; `process.kill` unless a test injects one. */
  signalProcess?: SignalProcess;
  /** Told when the tree could not be signalled (EPERM and the like): reported, never thrown. */
  onTreeSignalError?: (message: string) => void;
  /** A stdout line that is not a JSON-RPC message (a banner, a stray console.log); without it, an error. */
  onStdoutLine?: (line: string) => void;
}

/** How a child ended. */
export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** How long a failed write waits for the child's exit to be known (its pipes closed), so the exit can be reported. */
const EXIT_AFTER_WRITE_FAILURE_MS = 2_000;

/** Longest stderr line kept whole; longer ones are cut so one runaway line cannot hold memory. */
const MAX_STDERR_LINE = 8 * 1024;

/**
 * An MCP transport over a child's stdin/stdout, like the SDK's StdioClientTransport, but owning the whole process
 * tree: the child leads its own process group, `close()` ends the tree (TERM, then KILL after a grace period) and
 * resolves only when the child is gone, stderr is reported line by line, and a spawn failure rejects `start()`
 * with a readable reason. Messages pass verbatim: only the JSON-RPC envelope is checked.
 */
export class ChildProcessTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  private child?: ChildProcess;
  private exitInfo?: ChildExit;
  private exitWaiters: Array<() => void> = [];
  private closed = false;
  private paused = false;

  constructor(private readonly options: ChildProcessTransportOptions) {}

  /** The child's pid once spawned. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** How the child ended, once it has. */
  get exit(): ChildExit | undefined {
    return this.exitInfo;
  }

  /** Whether reading the child's stdout is paused (backpressure from a slow client). */
  get readingPaused(): boolean {
    return this.paused;
  }

  /**
   * Stops reading the child's stdout until `resumeReading()`: once the pipe is full, the child's own writes wait,
   * so a server that talks faster than its client reads is slowed down at the source instead of buffered here.
   */
  pauseReading(): void {
    this.paused = true;
    this.child?.stdout?.pause();
  }

  resumeReading(): void {
    this.paused = false;
    this.child?.stdout?.resume();
  }

  start(): Promise<void> {
    if (this.child) throw new Error('ChildProcessTransport already started');
    const { command, args, env, cwd } = this.options;
    const cwdProblem = checkWorkingDirectory(cwd);
    if (cwdProblem) return Promise.reject(new Error(cwdProblem));

    return new Promise<void>((resolve, reject) => {
      let spawned = false;
      const child = crossSpawn(command, args, {
        env,
        cwd,
        stdio: ['pipe', 'pipe', 'pipe'],
        detached: USES_PROCESS_GROUPS,
        windowsHide: true,
        shell: false,
      });
      this.child = child;

      child.once('error', (error: NodeJS.ErrnoException) => {
        if (!spawned) {
          this.markExited({ code: null, signal: null });
          reject(new Error(describeSpawnError(error, command, env)));
          return;
        }
        this.onerror?.(error);
      });
      child.once('spawn', () => {
        spawned = true;
        if (child.pid !== undefined) this.options.onSpawn?.(child.pid);
        resolve();
      });
      child.once('exit', (code, signal) => {
        this.markExited({ code, signal });
        // What the child wrote before it ended is at most a pipe's worth: let it through so its last words arrive.
        child.stdout?.resume();
        // Streams may still hold the last messages; give them a moment, but do not wait on a grandchild that keeps
        // the pipes open.
        const settle = setTimeout(() => this.finish(), 200);
        child.once('close', () => {
          clearTimeout(settle);
          this.finish();
        });
      });

      const reader = new JsonLineReader(this.options.maxMessageBytes);
      child.stdout!.on('data', (chunk: Buffer) => {
        let lines: string[];
        try {
          lines = reader.push(chunk);
        } catch (error) {
          this.onerror?.(error as Error);
          return;
        }
        for (const line of lines) this.deliverLine(line);
      });
      if (this.paused) child.stdout!.pause();
      child.stdout!.on('error', (error) => this.onerror?.(error));
      child.stdin!.on('error', (error) => {
        // EPIPE after the child died is expected; its exit is reported separately.
        if ((error as NodeJS.ErrnoException).code !== 'EPIPE') this.onerror?.(error);
      });

      const stderrReader = new JsonLineReader(MAX_STDERR_LINE, 'split');
      child.stderr!.on('data', (chunk: Buffer) => {
        for (const line of stderrReader.push(chunk)) {
          this.options.onStderrLine?.(line.length > MAX_STDERR_LINE ? `${line.slice(0, MAX_STDERR_LINE)}…` : line);
        }
      });
      child.stderr!.on('error', () => {
        // stderr is informational; a broken pipe there changes nothing.
      });
    });
  }

  private deliverLine(line: string): void {
    if (line.trim() === '') return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      this.strayStdoutLine(line, 'not JSON');
      return;
    }
    if (!isJsonRpcEnvelope(parsed)) {
      this.strayStdoutLine(line, 'not a JSON-RPC message');
      return;
    }
    this.onmessage?.(parsed as JSONRPCMessage);
  }

  /** A stdout line that is not protocol is shown as it comes, cut like a stderr line. */
  private strayStdoutLine(line: string, what: string): void {
    if (this.options.onStdoutLine) this.options.onStdoutLine(line.length > MAX_STDERR_LINE ? `${line.slice(0, MAX_STDERR_LINE)}…` : line);
    else this.onerror?.(new Error(`the server wrote a line to stdout that is ${what}: ${line.slice(0, 200)}`));
  }

  send(message: JSONRPCMessage): Promise<void> {
    const stdin = this.child?.stdin;
    // Never started, failed to spawn, or closed by its owner: there is no exit to wait for.
    if (!stdin || this.child?.pid === undefined || this.closed) return Promise.reject(new Error('Not connected: the server process is not running'));
    // A child that exited, or whose stdin broke (EPIPE: it closed stdin or died, often before its 'exit' event), cannot
    // read this message: like a write that fails mid-flight, wait for its exit and name it.
    if (this.exitInfo || !stdin.writable) {
      return this.explainFailedWrite(new Error('the server process closed its stdin and cannot read the message')).then((error) => {
        throw error;
      });
    }
    // Messages sent in one turn of the event loop (many clients' requests arrive together under load) leave in one
    // write: stdin is corked on the first and uncorked once the turn's I/O callbacks have run.
    if (!stdin.writableCorked) {
      stdin.cork();
      setImmediate(() => stdin.uncork());
    }
    return new Promise((resolve, reject) => {
      const flushed = stdin.write(`${JSON.stringify(message)}\n`, (error) => {
        if (error) void this.explainFailedWrite(error).then(reject);
      });
      if (flushed) resolve();
      else stdin.once('drain', resolve);
    });
  }

  /**
   * A write to a child that died fails with EPIPE, often before its 'exit' event: the pipe breaks the moment the
   * child closes stdin. Waiting briefly for the exit (and the stderr it flushed) lets the session report the exit
   * code and last stderr lines, which say what went wrong, instead of the bare EPIPE; and by then the exit is known,
   * so callers treat the failure as the child's end (which fails its requests with the reason) rather than as an
   * error of its own.
   */
  private async explainFailedWrite(error: Error): Promise<Error> {
    if (!this.finishedOnce) await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, EXIT_AFTER_WRITE_FAILURE_MS);
      this.finishWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
    const exit = this.exitInfo;
    if (!exit) return error;
    return new ChildExitedError(exit, `the server process ${describeChildExit(exit)} before it read the message`);
  }

  /** Ends the child's whole process tree and resolves once the child has exited. Safe to call repeatedly. */
  async close(): Promise<void> {
    this.closed = true;
    const child = this.child;
    if (!child || child.pid === undefined) {
      this.finish();
      return;
    }
    if (!this.exitInfo) {
      child.stdin?.end();
      this.signalTree('SIGTERM');
      if (!(await this.waitForExit(this.options.killGraceMs))) {
        this.signalTree('SIGKILL');
        await this.waitForExit(this.options.killGraceMs);
      }
    }
    // The leader is gone; anything it left in its group goes too.
    this.signalTree('SIGKILL');
    this.finish();
  }

  private readonly reportedSignalErrors = new Set<string>();

  /** Signals the child's tree; a failure is reported once per signal and kind, and never thrown. */
  private signalTree(signal: NodeJS.Signals): void {
    const pid = this.child?.pid;
    if (pid === undefined) return;
    signalProcessTree(pid, signal, {
      signalProcess: this.options.signalProcess,
      onError: (error) => {
        const key = `${signal} ${(error as NodeJS.ErrnoException).code ?? error.message}`;
        if (this.reportedSignalErrors.has(key)) return;
        this.reportedSignalErrors.add(key);
        try {
          this.options.onTreeSignalError?.(`could not send ${signal} to the server's process tree (pid ${pid}): ${error.message}`);
        } catch {
          // A reporter that throws must not turn a failed kill into a crash.
        }
      },
    });
  }

  private waitForExit(timeoutMs: number): Promise<boolean> {
    if (this.exitInfo) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.exitWaiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  private markExited(exit: ChildExit): void {
    if (this.exitInfo) return;
    this.exitInfo = exit;
    for (const wake of this.exitWaiters.splice(0)) wake();
  }

  private finishedOnce = false;
  private finishWaiters: Array<() => void> = [];
  private finish(): void {
    if (this.finishedOnce) return;
    this.finishedOnce = true;
    if (this.child) {
      this.child.stdout?.removeAllListeners('data');
      this.child.stderr?.removeAllListeners('data');
      // Kill stragglers in the group even when the leader exited on its own.
      if (this.exitInfo) this.signalTree('SIGKILL');
      if (this.child.pid !== undefined) this.options.onFinished?.(this.child.pid);
    }
    this.onclose?.();
    for (const wake of this.finishWaiters.splice(0)) wake();
  }
}

/** How a child ended, as words: "exited with code 3", "was killed by SIGKILL". */
export function describeChildExit(exit: ChildExit): string {
  return exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
}

/** A send that failed because the child had exited; carries how it ended. */
export class ChildExitedError extends Error {
  override readonly name = 'ChildExitedError';
  constructor(
    readonly exit: ChildExit,
    message: string,
  ) {
    super(message);
  }
}
