/** Messages between the bench and the proxy host child (bench/proxy-host.ts), over Node's IPC channel. */

/** A memory reading of one process, in bytes. Heap figures only exist where the process can report them itself. */
export interface MemorySample {
  rss: number;
  heapUsed?: number;
  external?: number;
  arrayBuffers?: number;
  /** Whether a full GC ran just before the reading. */
  afterGc: boolean;
}

/** The highest heapUsed and RSS seen by sampling every few milliseconds (no GC: garbage not yet collected counts). */
export interface MemoryPeak {
  heapUsed: number;
  rss: number;
  samples: number;
}

/** From the bench to the host. `cpu` asks for the host's CPU time so far (user + system, ms); `peak-start` begins sampling memory; `peak-stop` ends it and replies with the peak. */
export type HostRequest =
  | { id: number; type: 'memory' }
  | { id: number; type: 'sessions' }
  | { id: number; type: 'peak-start' }
  | { id: number; type: 'peak-stop' }
  | { id: number; type: 'cpu' };

/** From the host to the bench. */
export type HostMessage =
  | { type: 'ready'; url: string; token: string }
  | { type: 'failed'; error: string }
  | { type: 'reply'; id: number; memory?: MemorySample; sessions?: number; peak?: MemoryPeak; cpuMs?: number; error?: string };

/** The catalog name under which the host serves the stdio fixture. */
export const FIXTURE_SERVER_NAME = 'fixture';

/** The catalog names of the modern fixture: as a stdio server, and as the remote server at MODERN_REMOTE_URL_ENV. */
export const MODERN_STDIO_SERVER_NAME = 'modern-fixture';
export const MODERN_REMOTE_SERVER_NAME = 'modern-remote';
/** Set by the bench for the host when a modern fixture serves HTTP: its MCP endpoint. */
export const MODERN_REMOTE_URL_ENV = 'PATCHBAY_BENCH_MODERN_REMOTE_URL';
