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

/** From the bench to the host. */
export type HostRequest = { id: number; type: 'memory' } | { id: number; type: 'sessions' };

/** From the host to the bench. */
export type HostMessage =
  | { type: 'ready'; url: string; token: string }
  | { type: 'failed'; error: string }
  | { type: 'reply'; id: number; memory?: MemorySample; sessions?: number; error?: string };

/** The catalog name under which the host serves the stdio fixture. */
export const FIXTURE_SERVER_NAME = 'fixture';
