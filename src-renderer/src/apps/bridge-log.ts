import type { JSONRPCMessage, Transport, TransportSendOptions } from '@modelcontextprotocol/client';

/** One message over an app's bridge, as the debugging panel lists it. */
export interface BridgeLogEntry {
  ordinal: number;
  direction: 'host-to-app' | 'app-to-host';
  /** ms since the app's document was opened. */
  atMs: number;
  method?: string;
  id?: string | number;
  /** For a response: how long after its request it came. */
  durationMs?: number;
  message: JSONRPCMessage;
}

/**
 * Wraps the bridge's PostMessageTransport so every message both ways is logged with its timing before it is passed
 * on; requests are remembered by id (per direction) so a response says what it answers and how long it took.
 */
export function loggedTransport(inner: Transport, startedAt: number, log: (entry: BridgeLogEntry) => void): Transport {
  let ordinal = 0;
  const pending = new Map<string, { method: string; at: number }>();
  const record = (direction: BridgeLogEntry['direction'], message: JSONRPCMessage): void => {
    const at = performance.now();
    const fields = message as { method?: string; id?: string | number };
    let method = fields.method;
    let durationMs: number | undefined;
    if (fields.id !== undefined) {
      // A request waits under the direction it went; its response comes back the other way.
      const requestKey = `${direction}:${String(fields.id)}`;
      const answerKey = `${direction === 'host-to-app' ? 'app-to-host' : 'host-to-app'}:${String(fields.id)}`;
      if (method) pending.set(requestKey, { method, at });
      else {
        const request = pending.get(answerKey);
        pending.delete(answerKey);
        if (request) {
          method = request.method;
          durationMs = at - request.at;
        }
      }
    }
    ordinal += 1;
    log({ ordinal, direction, atMs: at - startedAt, method, id: fields.id, durationMs, message });
  };
  const wrapper: Transport = {
    async start() {
      inner.onmessage = (message, extra) => {
        record('app-to-host', message);
        wrapper.onmessage?.(message, extra);
      };
      inner.onerror = (error) => wrapper.onerror?.(error);
      inner.onclose = () => wrapper.onclose?.();
      await inner.start();
    },
    async send(message: JSONRPCMessage, options?: TransportSendOptions) {
      record('host-to-app', message);
      await inner.send(message, options);
    },
    close: () => inner.close(),
  };
  return wrapper;
}
