import type { ProtocolEra } from '../../../src-shared/events';
import { MODERN_PROTOCOL_VERSION } from '../../../src-shared/protocol-era';
import type { RecordedMessage, Recording } from '../../../src-shared/recording';
import { RecordingError } from './recording-error';

/** Requests the connect itself makes: a replay compares who the server says it is, not these answers. */
const HANDSHAKE_METHODS = new Set(['initialize', 'server/discover']);
/** Notifications that belong to the recorded connection only (its handshake, its ids). */
const CONNECTION_NOTIFICATIONS = new Set(['notifications/initialized', 'notifications/cancelled']);

/** One thing the replay sends, in the recorded order. */
export type ReplayStep =
  | { kind: 'request'; method: string; params: unknown; recorded: RecordedMessage; response?: RecordedMessage }
  | { kind: 'notification'; method: string; params: unknown };

/** A recorded session (legacy) or modern channel, replayed on one connection of its own. */
export interface SessionPlan {
  sessionId: string;
  era: ProtocolEra;
  protocolVersion?: string;
  /** The capabilities the recorded client declared (legacy initialize), so the server sees the same client. */
  capabilities: Record<string, unknown>;
  steps: ReplayStep[];
  /** The recorded client's answers to server requests, per method, in the order it gave them. */
  answers: Map<string, Array<{ result?: unknown; error?: { code: number; message: string; data?: unknown } }>>;
}

/** The server of a recording a replay takes its messages from: the one asked for, or the only one. */
export function recordedServerOf(recording: Recording, wanted?: string): string {
  const names = [...new Set(recording.messages.map((message) => message.server))];
  if (wanted !== undefined) {
    if (!names.includes(wanted)) throw new RecordingError(`the recording "${recording.name}" has no messages of "${wanted}" (it has ${names.map((name) => `"${name}"`).join(', ') || 'none'})`);
    return wanted;
  }
  if (names.length === 1) return names[0]!;
  if (names.length === 0) throw new RecordingError(`the recording "${recording.name}" has no messages to replay`);
  throw new RecordingError(`the recording "${recording.name}" has messages of several servers (${names.map((name) => `"${name}"`).join(', ')}); say which to replay`);
}

/** Splits the recorded server's messages into sessions, each with what to send and the answers to give again. */
export function planReplay(recording: Recording, server: string): SessionPlan[] {
  const bySession = new Map<string, RecordedMessage[]>();
  for (const message of recording.messages) {
    if (message.server !== server) continue;
    const list = bySession.get(message.sessionId) ?? [];
    list.push(message);
    bySession.set(message.sessionId, list);
  }
  return [...bySession.entries()].map(([sessionId, messages]) => planSession(sessionId, messages)).filter((plan) => plan.steps.length > 0);
}

function planSession(sessionId: string, messages: RecordedMessage[]): SessionPlan {
  const era = messages[0]!.era;
  const plan: SessionPlan = { sessionId, era, capabilities: {}, steps: [], answers: new Map() };
  const responseTo = (direction: RecordedMessage['direction'], id: unknown, after: number): RecordedMessage | undefined =>
    messages.slice(after + 1).find((message) => message.kind === 'response' && message.direction === direction && message.id === id);
  messages.forEach((message, index) => {
    const body = (message.body ?? {}) as { params?: Record<string, unknown> };
    if (message.direction === 'client-to-server' && message.kind === 'request' && message.method) {
      if (message.method === 'initialize') plan.capabilities = (body.params?.capabilities as Record<string, unknown> | undefined) ?? {};
      const meta = body.params?._meta as Record<string, unknown> | undefined;
      const version = message.method === 'initialize' ? body.params?.protocolVersion : meta?.['io.modelcontextprotocol/protocolVersion'];
      if (typeof version === 'string') plan.protocolVersion ??= version;
      if (HANDSHAKE_METHODS.has(message.method)) return;
      plan.steps.push({ kind: 'request', method: message.method, params: body.params, recorded: message, response: responseTo('server-to-client', message.id, index) });
    } else if (message.direction === 'client-to-server' && message.kind === 'notification' && message.method && !CONNECTION_NOTIFICATIONS.has(message.method)) {
      plan.steps.push({ kind: 'notification', method: message.method, params: body.params });
    } else if (message.direction === 'server-to-client' && message.kind === 'request' && message.method) {
      const answer = responseTo('client-to-server', message.id, index);
      const answerBody = answer?.body as { result?: unknown; error?: { code: number; message: string; data?: unknown } } | undefined;
      if (!answerBody) return;
      const queue = plan.answers.get(message.method) ?? [];
      queue.push(answerBody.error ? { error: answerBody.error } : { result: answerBody.result });
      plan.answers.set(message.method, queue);
    }
  });
  if (era === 'modern') plan.protocolVersion ??= MODERN_PROTOCOL_VERSION;
  return plan;
}
