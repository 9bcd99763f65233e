import type { ServerEntry } from '../../../src-shared/catalog';
import type { ClientDeliveryLimits } from './client-delivery';
import type { FaultSlot } from './faults/fault-plans';
import type { UpstreamLimits } from './upstream';

/** Tunables of a session; the proxy passes the same object to every session. */
export interface SessionSettings extends UpstreamLimits, ClientDeliveryLimits {
  /** How long the upstream may take to start (spawn, or reach a remote server). */
  connectTimeoutMs: number;
  /** After the upstream fails or exits, how long the client's transport stays open to hear why. */
  closingGraceMs: number;
  /** How long a stdio server may take to answer `initialize` before the session ends saying so. */
  initializeTimeoutMs: number;
  /**
   * A client request the server has not answered after this long is answered with an error that says so, and
   * cancelled upstream, so a hung call cannot hold its session (and its child) forever.
   */
  maxRequestAgeMs: number;
  /** Messages larger than this are reported in events without their body. */
  eventBodyMaxBytes: number;
  /**
   * Client messages that may wait for a server that is still connecting, by count and by bytes; a request past
   * either is answered at once with an error.
   */
  connectQueueMaxMessages: number;
  connectQueueMaxBytes: number;
  /** stderr lines kept per session. */
  stderrLines: number;
  /**
   * Fills an entry's placeholders (`${VAR}`, `${env:VAR}`, `${input:id}`) at connect time, or says by name what is
   * missing. Without it, entries are used as written.
   */
  resolveEntry?: (entry: ServerEntry) => { ok: true; entry: ServerEntry } | { ok: false; message: string };
  /** Where a session finds its server's fault plan (faults/); without it, no faults apply. */
  faultSlot?: (server: string) => FaultSlot;
}
