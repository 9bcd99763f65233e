import type { HttpEndpoint } from './clients';
import type { MemoryPeak, MemorySample } from './proxy-ipc';

/** A running relay under test (Patchbay's proxy or the supergateway peer), each in its own process. */
export interface Target {
  /** Column name in the table. */
  label: string;
  /** The relay's own process id (its fixture children are descendants of it). */
  pid: number;
  /** Streamable HTTP endpoint for the fixture. */
  streamable: HttpEndpoint;
  /** HTTP+SSE endpoint for the fixture, when the target offers one in this setup. */
  sse?: HttpEndpoint;
  /** Patchbay's routes to the modern fixture: as its stdio server, and as a remote server when one was given. */
  modern?: { stdio: HttpEndpoint; remote?: HttpEndpoint };
  /** Live sessions as the target itself counts them, when it can tell. */
  sessionCount?: () => Promise<number>;
  /** The relay process's CPU time so far (user + system, ms), where it can tell. */
  cpuMs?: () => Promise<number>;
  /** A memory reading of the relay process. */
  memory(): Promise<MemorySample>;
  /** Peak memory sampling between start and stop, where the relay process can sample itself. */
  memoryPeak?: { start(): Promise<void>; stop(): Promise<MemoryPeak> };
  /** Pids of the fixture processes (with any shell wrapping them) the relay currently has running. */
  children(): number[];
  /** Stops the relay and everything it started; never rejects. */
  stop(): Promise<void>;
}
