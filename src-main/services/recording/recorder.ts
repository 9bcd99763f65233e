import { randomBytes } from 'node:crypto';
import { toPublicServerEntry, type ServerEntry } from '../../../src-shared/catalog';
import type { LifecycleEvent } from '../../../src-shared/events';
import {
  MAX_RECORDED_MESSAGES,
  RECORDING_FORMAT,
  RECORDING_VERSION,
  type ActiveRecording,
  type RecordedMessage,
  type RecordedServer,
  type Recording,
} from '../../../src-shared/recording';
import type { EventBus } from '../proxy/event-bus';

export interface RecorderOptions {
  bus: EventBus;
  /** One server, or every server (absent). */
  server?: string;
  name?: string;
  /** The catalog entry of a server, written without secret values. */
  entryOf(server: string): ServerEntry | undefined;
  ignore?: string[];
}

/** A recording id: its start time and a random part, so ids sort by time and never collide. */
export function newRecordingId(now = Date.now()): string {
  return `${new Date(now).toISOString().replace(/[:.]/g, '-')}-${randomBytes(3).toString('hex')}`;
}

/**
 * Records the proxy's message events while it runs: every message both ways (the client's answers to sampling,
 * elicitation and roots are client-to-server responses), with the identity each server gave in its initialize or
 * server/discover answer. A body over the proxy's event cap is kept marked `truncated`, never silently lost.
 */
export class Recorder {
  readonly id: string;
  readonly startedAt = Date.now();
  private readonly messages: RecordedMessage[] = [];
  private readonly servers = new Map<string, RecordedServer>();
  private limitReached = false;
  private readonly unsubscribe: () => void;
  private stopped: Recording | undefined;

  constructor(private readonly options: RecorderOptions) {
    this.id = newRecordingId(this.startedAt);
    this.unsubscribe = options.bus.subscribe((event) => this.take(event));
  }

  get name(): string {
    return this.options.name ?? `${this.options.server ?? 'All servers'} ${new Date(this.startedAt).toISOString().slice(0, 19).replace('T', ' ')}`;
  }

  status(): ActiveRecording {
    return { id: this.id, name: this.name, scope: this.scope(), startedAt: this.startedAt, messages: this.messages.length };
  }

  /** Whether it records this server's messages. */
  covers(server: string): boolean {
    return this.options.server === undefined || this.options.server === server;
  }

  /** Stops taking events and answers the recording (the same one on every later call). */
  stop(): Recording {
    if (this.stopped) return this.stopped;
    this.unsubscribe();
    this.stopped = {
      format: RECORDING_FORMAT,
      version: RECORDING_VERSION,
      id: this.id,
      name: this.name,
      scope: this.scope(),
      startedAt: this.startedAt,
      endedAt: Date.now(),
      servers: [...this.servers.values()],
      messages: this.messages,
      ignore: this.options.ignore ?? [],
      ...(this.limitReached ? { limitReached: true } : {}),
    };
    return this.stopped;
  }

  private scope(): Recording['scope'] {
    return this.options.server === undefined ? { kind: 'all' } : { kind: 'server', server: this.options.server };
  }

  private take(event: LifecycleEvent): void {
    if (event.type !== 'message' || !this.covers(event.server)) return;
    if (this.messages.length >= MAX_RECORDED_MESSAGES) {
      this.limitReached = true;
      return;
    }
    const era = event.era ?? 'legacy';
    const server = this.serverOf(event.server);
    if (event.kind === 'response' && event.direction === 'server-to-client') noteIdentity(server, event.body, era);
    this.messages.push({
      at: event.at,
      sessionId: event.sessionId,
      server: event.server,
      era,
      direction: event.direction,
      kind: event.kind,
      ...(event.method !== undefined ? { method: event.method } : {}),
      ...(event.id !== undefined ? { id: event.id } : {}),
      size: event.size,
      ...(event.durationMs !== undefined ? { durationMs: event.durationMs } : {}),
      ...(event.isError !== undefined ? { isError: event.isError } : {}),
      ...(event.truncated || event.body === undefined ? { truncated: true as const } : { body: event.body }),
    });
  }

  private serverOf(name: string): RecordedServer {
    let server = this.servers.get(name);
    if (!server) {
      const entry = this.options.entryOf(name);
      server = { name, ...(entry ? { entry: toPublicServerEntry(entry) } : {}) };
      this.servers.set(name, server);
    }
    return server;
  }
}

/** An initialize or server/discover answer names the server and its protocol version. */
function noteIdentity(server: RecordedServer, body: unknown, era: 'legacy' | 'modern'): void {
  const result = (body as { result?: { serverInfo?: unknown; protocolVersion?: unknown; supportedVersions?: unknown; _meta?: Record<string, unknown> } } | undefined)?.result;
  // Legacy: initialize's serverInfo; modern: every answer's `_meta` names the server, server/discover's the versions.
  const info = (result?.serverInfo ?? result?._meta?.['io.modelcontextprotocol/serverInfo']) as { name?: unknown; version?: unknown } | undefined;
  if (typeof info?.name !== 'string' || typeof info.version !== 'string') return;
  if (server.serverInfo && result?.serverInfo === undefined && result?.supportedVersions === undefined) return;
  server.serverInfo = info as { name: string; version: string };
  server.era = era;
  if (typeof result?.protocolVersion === 'string') server.protocolVersion = result.protocolVersion;
  else if (Array.isArray(result?.supportedVersions) && typeof result.supportedVersions[0] === 'string') server.protocolVersion = result.supportedVersions[0];
}
