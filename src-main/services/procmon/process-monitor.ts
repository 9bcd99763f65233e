import treeKill from 'tree-kill';
import type { LifecycleEventInput } from '../../../src-shared/events';
import type { EndProcessResult, MonitoredChild, ProcessesSnapshot, ProcessFigures, ProcessNode } from '../../../src-shared/processes';
import { RingBuffer } from '../proxy/ring-buffer';
import type { ChildProcessWatch, ChildWatchHandle, WatchedChildInfo } from './child-watch';
import { countOpenFds, descendantsOf, OS_LIMITS, processIdentity, readProcessTable, readUsage, type ProcessTable, type ProcessUsage } from './process-stats';

/** A sample of one child's tree, as a watcher (the stress runner, the api's event) is told after each tick. */
export interface ChildSample {
  server: string;
  sessionId: string;
  era: 'legacy' | 'modern';
  /** The child's pid. */
  pid: number;
  /** Sums over its live processes. */
  totals: ProcessFigures;
  /** Each live process's figures. */
  processes: Array<{ pid: number; ppid: number } & ProcessFigures>;
}

export interface ProcessMonitorOptions {
  /** Where each tick's samples go as `process-sample` lifecycle events (the proxy's bus). */
  emit?: (event: LifecycleEventInput) => void;
  /** Milliseconds between samples while someone watches. Default 1 000. */
  intervalMs?: number;
  /** Samples kept per process and per tree. Default 600 (10 minutes at one a second). */
  samplesKept?: number;
  /** Stderr lines kept per child. Default 50. */
  stderrLines?: number;
  /** Ended children kept (their trees, exits and stderr), oldest forgotten first. Default 50. */
  endedKept?: number;
  /** How long after a child's end its tree is checked for survivors. Default 1 500 ms. */
  leakCheckDelayMs?: number;
  /** How long End waits after SIGTERM before SIGKILL. Default 2 000 ms. */
  endGraceMs?: number;
  /** Told of what goes wrong while sampling (a `ps` that failed); never thrown. */
  onProblem?: (message: string) => void;
}

interface NodeState {
  pid: number;
  ppid: number;
  depth: number;
  command?: string;
  identity?: string;
  startedAt?: number;
  alive: boolean;
  leaked: boolean;
  samples: RingBuffer<ProcessFigures>;
}

interface ChildState {
  info: WatchedChildInfo;
  startedAt: number;
  ended?: { at: number; exitCode: number | null; signal: string | null };
  stderr: RingBuffer<string>;
  /** By pid: the child first, then every process seen below it. */
  nodes: Map<number, NodeState>;
  totals: RingBuffer<ProcessFigures>;
}

/** How far two readings of a process's start time may differ (pidusage derives it from uptime) and still be one process. */
const SAME_START_TOLERANCE_MS = 2_000;

/** Why a recorded pid cannot be ended through the api; the control API answers with `status`. */
export class EndProcessError extends Error {
  override readonly name = 'EndProcessError';
  constructor(
    readonly status: 404 | 409 | 410,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The process monitor of the proxy's stdio children (legacy sessions' and the modern era's shared ones). The
 * proxy tells it of every child's start, stderr and end (ChildProcessWatch); it samples their trees (CPU, RSS,
 * open fds, uptime) about once a second, but only while someone watches (`watch`, `lease`): nothing runs per
 * message and nothing runs while nobody looks. After a child ended and its tree was ended, every process recorded
 * in that tree that still runs is flagged as leaked; those (and only processes Patchbay recorded) can be ended.
 */
export class ProcessMonitor implements ChildProcessWatch {
  readonly intervalMs: number;
  private readonly children: ChildState[] = [];
  private readonly watchers = new Set<(samples: ChildSample[]) => void>();
  private leaseUntil = 0;
  private timer?: NodeJS.Timeout;
  private ticking?: Promise<void>;
  private readonly pendingChecks = new Set<NodeJS.Timeout>();
  private closed = false;
  private readonly options: Required<Omit<ProcessMonitorOptions, 'emit' | 'onProblem'>> & Pick<ProcessMonitorOptions, 'emit' | 'onProblem'>;

  constructor(options: ProcessMonitorOptions = {}) {
    this.options = {
      intervalMs: 1_000,
      samplesKept: 600,
      stderrLines: 50,
      endedKept: 50,
      leakCheckDelayMs: 1_500,
      endGraceMs: 2_000,
      ...options,
    };
    this.intervalMs = this.options.intervalMs;
  }

  // ChildProcessWatch: called by the proxy.

  childStarted(info: WatchedChildInfo): ChildWatchHandle {
    const now = Date.now();
    const child: ChildState = {
      info,
      startedAt: now,
      stderr: new RingBuffer(this.options.stderrLines),
      nodes: new Map(),
      totals: new RingBuffer(this.options.samplesKept),
    };
    const root: NodeState = { pid: info.pid, ppid: process.pid, depth: 0, command: [info.command, ...info.args].join(' '), startedAt: now, alive: true, leaked: false, samples: new RingBuffer(this.options.samplesKept) };
    // The child itself needs no identity: its exit is seen, so it is never taken for alive after it. The processes
    // below it get theirs when a sample first sees them.
    child.nodes.set(info.pid, root);
    this.children.push(child);
    this.forgetOldEnded();
    if (this.sampling) this.scheduleTick(0);
    return {
      stderrLine: (line) => child.stderr.push(line),
      ended: (exit) => this.childEnded(child, exit),
    };
  }

  private childEnded(child: ChildState, exit: { code: number | null; signal: string | null } | undefined): void {
    if (child.ended) return;
    child.ended = { at: Date.now(), exitCode: exit?.code ?? null, signal: exit?.signal ?? null };
    const root = child.nodes.get(child.info.pid);
    if (root) root.alive = false;
    if (this.closed) return;
    // The proxy has just ended the tree (its group); whatever it recorded that still runs a moment later escaped.
    const check = setTimeout(() => {
      this.pendingChecks.delete(check);
      void this.checkForLeaks(child).catch((error: unknown) => this.problem(`checking "${child.info.server}" for leaked processes failed: ${String(error)}`));
    }, this.options.leakCheckDelayMs);
    check.unref();
    this.pendingChecks.add(check);
  }

  /** Marks the ended child's recorded processes that still run (same pid, same start) as leaked. */
  private async checkForLeaks(child: ChildState): Promise<void> {
    for (const node of child.nodes.values()) {
      if (node.depth === 0) continue;
      const still = node.identity !== undefined && (await processIdentity(node.pid)) === node.identity;
      node.alive = still;
      if (still) node.leaked = true;
    }
  }

  // Watching.

  /** Whether the sampler runs: someone watches, or a lease has not run out. */
  get sampling(): boolean {
    return !this.closed && (this.watchers.size > 0 || Date.now() < this.leaseUntil);
  }

  /**
   * Samples while the returned function has not been called: `listener` gets every tick's samples of every live
   * child (filter by `server`). This is the hook the stress runner uses to show CPU and RSS beside a run.
   */
  watch(listener: (samples: ChildSample[]) => void = () => undefined): () => void {
    const entry = (samples: ChildSample[]) => listener(samples);
    this.watchers.add(entry);
    this.scheduleTick(0);
    return () => this.watchers.delete(entry);
  }

  /** Samples for the next `ms` at least (a view renews its lease while it is open, so a closed window stops it). */
  lease(ms: number): { until: number } {
    this.leaseUntil = Math.max(this.leaseUntil, Date.now() + ms);
    this.scheduleTick(0);
    return { until: this.leaseUntil };
  }

  /** Takes one sample now (if none is under way), then resolves; for a control API read that wants fresh figures. */
  async sampleNow(): Promise<void> {
    await (this.ticking ?? this.tick());
  }

  private scheduleTick(delayMs: number): void {
    if (this.closed || this.ticking) return;
    if (this.timer && delayMs > 0) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (!this.sampling) return;
      void this.tick().finally(() => {
        if (this.sampling) this.scheduleTick(this.options.intervalMs);
      });
    }, delayMs);
    this.timer.unref();
  }

  private tick(): Promise<void> {
    this.ticking ??= this.sample()
      .catch((error: unknown) => this.problem(`sampling the server processes failed: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => (this.ticking = undefined));
    return this.ticking;
  }

  private async sample(): Promise<void> {
    const table = await readProcessTable();
    const at = Date.now();
    const tracked: Array<{ child: ChildState; node: NodeState }> = [];
    for (const child of this.children) {
      if (!child.ended) this.growTree(child, table);
      for (const node of child.nodes.values()) {
        const inTable = table.has(node.pid);
        if (!inTable) node.alive = false;
        else if (node.alive || node.leaked) tracked.push({ child, node });
      }
    }
    const usage = await readUsage(tracked.map(({ node }) => node.pid));
    const samples = new Map<ChildState, ChildSample>();
    for (const { child, node } of tracked) {
      const measured = usage.get(node.pid);
      if (!measured) {
        node.alive = false;
        continue;
      }
      if (!(await this.stillSame(node, measured))) continue;
      const figures: ProcessFigures = { at, cpu: round(measured.cpu), rssBytes: measured.rssBytes, fds: await countOpenFds(node.pid) };
      if (figures.fds === undefined) delete figures.fds;
      node.samples.push(figures);
      // The child's start as the OS tells it (the spawn time noted first is a little later).
      if (node.depth === 0) node.startedAt = Math.min(node.startedAt ?? measured.startedAt, measured.startedAt);
      if (child.ended) continue;
      const sample = samples.get(child) ?? { server: child.info.server, sessionId: child.info.sessionId, era: child.info.era, pid: child.info.pid, totals: { at, cpu: 0, rssBytes: 0 }, processes: [] };
      sample.processes.push({ pid: node.pid, ppid: node.ppid, ...figures });
      sample.totals.cpu = round(sample.totals.cpu + figures.cpu);
      sample.totals.rssBytes += figures.rssBytes;
      if (figures.fds !== undefined) sample.totals.fds = (sample.totals.fds ?? 0) + figures.fds;
      samples.set(child, sample);
    }
    for (const [child, sample] of samples) child.totals.push(sample.totals);
    const all = [...samples.values()];
    for (const watcher of this.watchers) {
      try {
        watcher(all);
      } catch (error) {
        this.problem(`a process monitor watcher threw: ${String(error)}`);
      }
    }
    for (const sample of all) {
      this.options.emit?.({ type: 'process-sample', sessionId: sample.sessionId, server: sample.server, era: sample.era, pid: sample.pid, totals: sample.totals, processes: sample.processes });
    }
  }

  /** Adds the processes now below a live child to its recorded tree (they stay recorded once seen). */
  private growTree(child: ChildState, table: ProcessTable): void {
    const root = child.nodes.get(child.info.pid)!;
    if (!table.has(root.pid)) return;
    for (const found of descendantsOf(table, root.pid)) {
      const known = child.nodes.get(found.pid);
      if (known) {
        known.ppid = found.ppid;
        known.depth = found.depth;
        continue;
      }
      child.nodes.set(found.pid, { pid: found.pid, ppid: found.ppid, depth: found.depth, alive: true, leaked: false, samples: new RingBuffer(this.options.samplesKept) });
    }
  }

  /**
   * Whether a node's pid still names the process first seen: its identity (exact start time) is read once, on the
   * first sample; later ones compare pidusage's start time, which needs no look of its own.
   */
  private async stillSame(node: NodeState, usage: ProcessUsage): Promise<boolean> {
    if (node.depth > 0 && node.identity === undefined) {
      node.identity = await processIdentity(node.pid, usage);
      if (node.identity === undefined) {
        node.alive = false;
        return false;
      }
      node.startedAt = usage.startedAt;
      return true;
    }
    if (node.depth > 0 && node.startedAt !== undefined && Math.abs(node.startedAt - usage.startedAt) > SAME_START_TOLERANCE_MS) {
      node.alive = false;
      return false;
    }
    return true;
  }

  // Reading and ending.

  /** Everything known, optionally of one server's children only, with at most `samples` of each history (all by default). */
  snapshot(server?: string, samples?: number): ProcessesSnapshot {
    const children = this.children.filter((child) => server === undefined || child.info.server === server).map((child) => this.childView(child, samples));
    const leaks = children.flatMap((child) => child.tree.filter((node) => node.leaked && node.alive).map((node) => ({ pid: node.pid, server: child.server, sessionId: child.sessionId, childPid: child.pid })));
    return { sampling: this.sampling, intervalMs: this.options.intervalMs, ...(OS_LIMITS ? { limits: OS_LIMITS } : {}), children, leaks };
  }

  /** Re-checks that every leaked process still runs (cheap: one look per leak), so a read without sampling is true. */
  async refreshLeaks(): Promise<void> {
    for (const child of this.children) {
      for (const node of child.nodes.values()) {
        if (node.leaked && node.alive) node.alive = node.identity !== undefined && (await processIdentity(node.pid)) === node.identity;
      }
    }
  }

  private childView(child: ChildState, samples = this.options.samplesKept): MonitoredChild {
    const nodes = [...child.nodes.values()];
    const recent = <T>(ring: RingBuffer<T>): T[] => ring.toArray().slice(-samples);
    return {
      pid: child.info.pid,
      server: child.info.server,
      sessionId: child.info.sessionId,
      era: child.info.era,
      command: child.info.command,
      args: child.info.args,
      startedAt: child.startedAt,
      ...(child.ended ? { ended: child.ended } : {}),
      stderrTail: child.stderr.toArray(),
      tree: orderTree(nodes).map(
        (node): ProcessNode => ({
          pid: node.pid,
          ppid: node.ppid,
          depth: node.depth,
          ...(node.command ? { command: node.command } : {}),
          ...(node.startedAt !== undefined ? { startedAt: node.startedAt } : {}),
          alive: node.alive,
          leaked: node.leaked,
          samples: recent(node.samples),
        }),
      ),
      totals: recent(child.totals),
    };
  }

  /**
   * Ends a process Patchbay recorded in the tree of a child that has ended (a leaked one, typically): SIGTERM to it
   * and what it started, SIGKILL after the grace. Refuses a pid it never recorded (404), one of a child still
   * serving its session (409: end the session instead) and one that no longer runs or is now another process (410).
   */
  async end(pid: number): Promise<EndProcessResult> {
    const owner = this.children.find((child) => child.nodes.has(pid));
    if (!owner) throw new EndProcessError(404, `Patchbay recorded no server process with pid ${pid}; it ends only processes of the servers it started`);
    const node = owner.nodes.get(pid)!;
    if (!owner.ended) {
      throw new EndProcessError(409, `pid ${pid} belongs to "${owner.info.server}", whose process ${owner.info.pid} still serves session ${owner.info.sessionId}; disconnect it instead`);
    }
    if (node.identity === undefined || (await processIdentity(pid)) !== node.identity) {
      node.alive = false;
      throw new EndProcessError(410, `pid ${pid} of "${owner.info.server}" is no longer running${node.identity === undefined ? '' : ' (or the pid now belongs to another process)'}`);
    }
    const gone = () => processIdentity(pid).then((identity) => identity !== node.identity);
    await signalTree(pid, 'SIGTERM');
    let how = 'SIGTERM ended it';
    if (!(await waitUntil(gone, this.options.endGraceMs))) {
      await signalTree(pid, 'SIGKILL');
      how = 'it ignored SIGTERM; SIGKILL ended it';
      if (!(await waitUntil(gone, this.options.endGraceMs))) return { pid, ended: false, message: `pid ${pid} of "${owner.info.server}" still runs after SIGTERM and SIGKILL` };
    }
    node.alive = false;
    return { pid, ended: true, message: `ended pid ${pid} of "${owner.info.server}": ${how}` };
  }

  /** Stops sampling and forgets every timer; the proxy calls it when it stops. */
  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    for (const check of this.pendingChecks) clearTimeout(check);
    this.pendingChecks.clear();
    this.watchers.clear();
  }

  private forgetOldEnded(): void {
    const ended = this.children.filter((child) => child.ended && ![...child.nodes.values()].some((node) => node.leaked && node.alive));
    for (const child of ended.slice(0, Math.max(0, ended.length - this.options.endedKept))) this.children.splice(this.children.indexOf(child), 1);
  }

  private problem(message: string): void {
    try {
      this.options.onProblem?.(message);
    } catch {
      // A reporter that throws changes nothing here.
    }
  }
}

/** The tree depth first from the child, children in pid order; a process whose parent left the tree follows at the end. */
function orderTree(nodes: NodeState[]): NodeState[] {
  const byParent = new Map<number, NodeState[]>();
  for (const node of nodes) {
    if (node.depth === 0) continue;
    const list = byParent.get(node.ppid);
    if (list) list.push(node);
    else byParent.set(node.ppid, [node]);
  }
  const ordered: NodeState[] = [];
  const placed = new Set<number>();
  const visit = (node: NodeState): void => {
    if (placed.has(node.pid)) return;
    placed.add(node.pid);
    ordered.push(node);
    for (const next of (byParent.get(node.pid) ?? []).sort((a, b) => a.pid - b.pid)) visit(next);
  };
  for (const root of nodes.filter((node) => node.depth === 0)) visit(root);
  for (const node of nodes) visit(node);
  return ordered;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

function signalTree(pid: number, signal: NodeJS.Signals): Promise<void> {
  // tree-kill signals the process and the processes it started (ps on POSIX, taskkill /T on Windows).
  return new Promise((resolve) => treeKill(pid, signal, () => resolve()));
}

async function waitUntil(predicate: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await predicate()) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
