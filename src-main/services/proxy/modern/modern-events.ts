import type { LifecycleEventInput } from '../../../../src-shared/events';
import { messageKind, type JsonRpcEnvelope, type JsonRpcId } from '../../../../src-shared/jsonrpc';
import type { EventBus } from '../event-bus';
import { definedOnly } from '../proxy-utils';

/**
 * The id modern events carry in place of a session's: modern requests have none, so they are reported on the
 * channel of their server (`modern:<server>`), and a client that names its window (X-Patchbay-Owner) gets a channel
 * of its own (`modern:<server>:<owner>`), so that its request ids pair with its responses on the timeline.
 */
export function modernChannelId(server: string, owner?: string): string {
  return owner ? `modern:${server}:${owner}` : `modern:${server}`;
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
type ChannelEvent = DistributiveOmit<LifecycleEventInput, 'sessionId' | 'server' | 'era'>;

/** Emits the events of the modern path, every one with `era: 'modern'`. */
export class ModernEvents {
  constructor(
    private readonly bus: EventBus,
    /** Messages larger than this are reported without their body. */
    private readonly bodyMaxBytes: number,
  ) {}

  emit(server: string, channelId: string, event: ChannelEvent): void {
    this.bus.emit({ ...event, sessionId: channelId, server, era: 'modern' } as LifecycleEventInput);
  }

  /** A relayed message; for a response, how long its request took and whether it failed. */
  message(
    server: string,
    channelId: string,
    direction: 'client-to-server' | 'server-to-client',
    envelope: JsonRpcEnvelope,
    extra: { durationMs?: number; relatedRequestId?: JsonRpcId } = {},
  ): void {
    if (!this.bus.hasSubscribers) return;
    const kind = messageKind(envelope);
    const size = Buffer.byteLength(JSON.stringify(envelope));
    const withinCap = size <= this.bodyMaxBytes;
    this.emit(server, channelId, {
      type: 'message',
      direction,
      kind,
      method: envelope.method,
      id: envelope.id ?? undefined,
      size,
      ...definedOnly(extra),
      ...(kind === 'response' ? { isError: envelope.error !== undefined } : {}),
      body: withinCap ? envelope : undefined,
      ...(withinCap ? {} : { truncated: true }),
    });
  }

  error(server: string, channelId: string, message: string): void {
    this.emit(server, channelId, { type: 'session-error', message });
  }
}
