import type { JSONRPCMessage, JSONRPCRequest } from '@modelcontextprotocol/sdk/types.js';
import type { StdioServerEntry } from '../../../../src-shared/catalog';
import { modernFixtureEntry } from '../../../test/helpers';
import { SharedStdioChild, type SharedChildEvent, type SharedChildSettings, type SharedStdioChildOptions } from './shared-stdio-child';

/** The dual-era fixture server (SDK 2.x) over stdio, as a catalog entry; `env` switches on its misbehaviours. */
export function fixtureEntry(name = 'modern-fixture', env: Record<string, string> = {}): StdioServerEntry {
  return modernFixtureEntry(name, env) as StdioServerEntry;
}

export const TEST_SETTINGS: SharedChildSettings = {
  maxMessageBytes: 4 * 1024 * 1024,
  killGraceMs: 2_000,
  isPrivateEnv: () => false,
  connectTimeoutMs: 20_000,
  stderrLines: 200,
};

/** Per-request `_meta` of the modern era. */
export function modernMeta(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    'io.modelcontextprotocol/protocolVersion': '2026-07-28',
    'io.modelcontextprotocol/clientCapabilities': {},
    'io.modelcontextprotocol/clientInfo': { name: 'shared-child-test', version: '1.0.0' },
    ...extra,
  };
}

export function callTool(id: string | number, name: string, args: Record<string, unknown>, meta: Record<string, unknown> = {}): JSONRPCRequest {
  return { jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args, _meta: modernMeta(meta) } };
}

export function listen(id: string | number, notifications: Record<string, unknown>): JSONRPCRequest {
  return { jsonrpc: '2.0', id, method: 'subscriptions/listen', params: { notifications, _meta: modernMeta() } };
}

/** A child with every event it emitted kept, and helpers to wait for them. */
export interface ObservedChild {
  child: SharedStdioChild;
  events: SharedChildEvent[];
  /** Resolves once an event matches (checks the ones already seen first). */
  nextEvent<T extends SharedChildEvent['type']>(type: T, match?: (event: Extract<SharedChildEvent, { type: T }>) => boolean, timeoutMs?: number): Promise<Extract<SharedChildEvent, { type: T }>>;
}

export function observedChild(entry: StdioServerEntry, options: Partial<SharedStdioChildOptions> = {}): ObservedChild {
  const events: SharedChildEvent[] = [];
  const waiters = new Set<() => void>();
  const child = new SharedStdioChild({
    entry,
    settings: TEST_SETTINGS,
    ...options,
    onEvent: (event) => {
      events.push(event);
      for (const wake of [...waiters]) wake();
    },
  });
  const nextEvent: ObservedChild['nextEvent'] = (type, match, timeoutMs = 20_000) =>
    new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = events.find((event) => event.type === type && (!match || match(event as never)));
        if (!found) return false;
        waiters.delete(check);
        clearTimeout(timer);
        resolve(found as never);
        return true;
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`no ${type} event within ${timeoutMs} ms; saw: ${events.map((event) => event.type).join(', ')}`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });
  return { child, events, nextEvent };
}

/** A request made through the child, with what was delivered for it. */
export interface Call {
  request: JSONRPCRequest;
  delivered: JSONRPCMessage[];
  done: Promise<void>;
  abort: AbortController;
  /** Resolves when a message matching `match` has been delivered. */
  until(match: (message: JSONRPCMessage) => boolean, timeoutMs?: number): Promise<JSONRPCMessage>;
}

export function call(child: SharedStdioChild, request: JSONRPCRequest, origin?: string): Call {
  const delivered: JSONRPCMessage[] = [];
  const waiters = new Set<() => void>();
  const abort = new AbortController();
  const done = child.request(
    request,
    (message) => {
      delivered.push(message);
      for (const wake of [...waiters]) wake();
    },
    abort.signal,
    { origin },
  );
  const until: Call['until'] = (match, timeoutMs = 20_000) =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        const found = delivered.find(match);
        if (!found) return;
        waiters.delete(check);
        clearTimeout(timer);
        resolve(found);
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`nothing matching within ${timeoutMs} ms for request ${JSON.stringify(request.id)}; delivered: ${JSON.stringify(delivered).slice(0, 500)}`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });
  return { request, delivered, done, abort, until };
}

/** The final response among what was delivered (the last message, which must be a response). */
export function finalResponse(delivered: JSONRPCMessage[]): { id: unknown; result?: { content?: Array<{ text?: string }> }; error?: { code: number; message: string; data?: Record<string, unknown> } } {
  const last = delivered.at(-1) as { id?: unknown; method?: string } | undefined;
  if (!last || last.method !== undefined) throw new Error(`no final response; delivered: ${JSON.stringify(delivered).slice(0, 500)}`);
  return last as never;
}

export function textOf(response: { result?: { content?: Array<{ text?: string }> } }): string | undefined {
  return response.result?.content?.[0]?.text;
}
