import { randomBytes } from 'node:crypto';
import { Client, ProtocolError, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { z } from 'zod';
import type { LifecycleEvent, MessageEvent } from '../../../src-shared/events';
import { parseIgnorePath, RecordingFormatError, requestTarget, type Recording, type ReplayedRequest, type ReplayResult } from '../../../src-shared/recording';
import type { EventBus } from '../proxy/event-bus';
import { OWNER_HEADER } from '../proxy/proxy-server';
import { errorMessage } from '../proxy/proxy-utils';
import { compareResponses } from './compare-responses';
import { RecordingError } from './recording-error';
import { planReplay, recordedServerOf, type ReplayStep, type SessionPlan } from './replay-plan';

const CLIENT_INFO = { name: 'mcp-patchbay-replay', version: '0.1.0' };
/** Any result: the replay reads what came back from the proxy's events, as it went on the wire. */
const AnyResult = z.looseObject({});
/** The server requests a replay answers from the recording (the SDK answers ping itself). */
const ANSWERED_METHODS = ['sampling/createMessage', 'elicitation/create', 'roots/list'] as const;

export interface ReplayOptions {
  recording: Recording;
  /** The catalog server to replay against. */
  server: string;
  /** The recording's server whose messages are replayed (the only one when absent). */
  recordedServer?: string;
  /** The proxy to go through: its URL, token and event bus (where the replayed responses are read as relayed). */
  proxy: { url: string; token?: string | null; bus: EventBus };
  /** Paths ignored besides the recording's own. */
  ignore?: string[];
  /** How long one request may take. */
  requestTimeoutMs?: number;
}

/**
 * Replays a recording against a server through Patchbay's proxy with the SDK client: each recorded session on a
 * connection of its own (initialize or server/discover as its era does it), the same requests and notifications in
 * the same order, the recorded answers given again to the server's sampling, elicitation and roots requests, and
 * every response compared with the recorded one. Never throws for the server's sake: a replay that could not run
 * is a `failed` result with the reason. Bad ignore paths and a recording without the server throw RecordingError.
 */
export async function replayRecording(options: ReplayOptions): Promise<ReplayResult> {
  const { recording } = options;
  const ignoreTexts = [...recording.ignore, ...(options.ignore ?? [])];
  const ignore = ignoreTexts.map(ignorePattern);
  const recordedServer = recordedServerOf(recording, options.recordedServer);
  const plans = planReplay(recording, recordedServer);
  const result: ReplayResult = {
    recording: { id: recording.id, name: recording.name },
    server: options.server,
    recordedServerInfo: recording.servers.find((server) => server.name === recordedServer)?.serverInfo,
    startedAt: Date.now(),
    endedAt: 0,
    outcome: 'match',
    requests: [],
    serverRequests: { answered: 0, unanswered: [] },
    ignore: ignoreTexts,
  };
  const wire = new WireTap(options.proxy.bus, options.server);
  try {
    for (const plan of plans) await replaySession(plan, options, ignore, wire, result);
  } catch (error) {
    result.outcome = 'failed';
    result.failure = errorMessage(error);
  } finally {
    wire.close();
  }
  if (result.outcome !== 'failed' && result.requests.some((request) => request.outcome === 'different' || request.outcome === 'failed')) result.outcome = 'differ';
  result.endedAt = Date.now();
  return result;
}

/** An ignore path's segments; a malformed one is refused with its sentence before anything is sent. */
function ignorePattern(text: string): string[] {
  try {
    return parseIgnorePath(text);
  } catch (error) {
    if (error instanceof RecordingFormatError) throw new RecordingError(error.message);
    throw error;
  }
}

async function replaySession(plan: SessionPlan, options: ReplayOptions, ignore: string[][], wire: WireTap, result: ReplayResult): Promise<void> {
  const owner = `replay-${randomBytes(4).toString('hex')}`;
  const endpoint = new URL(`${options.proxy.url}/servers/${encodeURIComponent(options.server)}/mcp`);
  const headers: Record<string, string> = { [OWNER_HEADER]: owner, ...(options.proxy.token ? { Authorization: `Bearer ${options.proxy.token}` } : {}) };
  const transport = new StreamableHTTPClientTransport(endpoint, { requestInit: { headers } });
  const client = new Client(CLIENT_INFO, {
    capabilities: plan.capabilities,
    versionNegotiation: { mode: plan.era === 'modern' ? { pin: plan.protocolVersion! } : 'legacy' },
    // A recorded retry carries the recorded answers: the replay sends it as recorded instead of answering anew.
    inputRequired: { autoFulfill: false },
  });
  answerFromRecording(client, plan, result);
  const timeout = options.requestTimeoutMs ?? 30_000;
  wire.follow(owner);
  try {
    try {
      await client.connect(transport, { timeout });
    } catch (error) {
      throw new Error(`could not connect to "${options.server}" through the proxy: ${errorMessage(error)}`, { cause: error });
    }
    result.serverInfo ??= client.getServerVersion();
    /** The requestState the server gave last, per method and target: a recorded retry carries the replayed one. */
    const requestStates = new Map<string, string>();
    for (const step of plan.steps) {
      if (step.kind === 'notification') {
        await client.notification({ method: step.method, ...(step.params ? { params: step.params as Record<string, unknown> } : {}) });
        continue;
      }
      result.requests.push(await replayRequest(client, step, plan, ignore, wire, requestStates, timeout, result.requests.length + 1));
    }
  } finally {
    if (transport.sessionId) await transport.terminateSession().catch(() => undefined);
    await client.close().catch(() => undefined);
  }
}

async function replayRequest(
  client: Client,
  step: Extract<ReplayStep, { kind: 'request' }>,
  plan: SessionPlan,
  ignore: string[][],
  wire: WireTap,
  requestStates: Map<string, string>,
  timeout: number,
  index: number,
): Promise<ReplayedRequest> {
  const target = requestTarget(step.params);
  const base = { index, sessionId: plan.sessionId, method: step.method, ...(target ? { target } : {}), differences: [] };
  if (!step.response) return { ...base, outcome: 'skipped', reason: 'the recording has no response to it (it was still open, or cancelled, when the recording stopped)' };
  if (step.response.truncated || step.recorded.truncated) {
    return { ...base, outcome: 'skipped', reason: `the recorded ${step.recorded.truncated ? 'request' : 'response'} was larger than the proxy's event cap and was recorded without its body` };
  }
  const stateKey = `${step.method} ${target ?? ''}`;
  const params = withReplayedRequestState(step.params, requestStates.get(stateKey));
  const mark = wire.mark();
  const sent = await client
    .request({ method: step.method, ...(params ? { params } : {}) }, AnyResult, { timeout, allowInputRequired: true })
    .then(() => undefined, (error: unknown) => error);
  const replayed = wire.responseTo(step.method, mark);
  if (!replayed) return { ...base, outcome: 'failed', reason: `no response came back: ${errorMessage(sent ?? 'the connection ended')}` };
  if (replayed.body === undefined) return { ...base, outcome: 'skipped', reason: "the replayed response was larger than the proxy's event cap, so its body could not be compared" };
  const state = ((replayed.body as { result?: { requestState?: unknown } }).result ?? {}).requestState;
  if (typeof state === 'string') requestStates.set(stateKey, state);
  const differences = compareResponses(step.response.body, replayed.body, ignore);
  return { ...base, outcome: differences.length === 0 ? 'equal' : 'different', differences, recordedResponse: step.response.body, replayedResponse: replayed.body };
}

/** A recorded retry's params with the requestState of the replayed input_required answer in place of the recorded one. */
function withReplayedRequestState(params: unknown, state: string | undefined): Record<string, unknown> | undefined {
  if (typeof params !== 'object' || params === null) return undefined;
  const record = params as Record<string, unknown>;
  return state !== undefined && typeof record.requestState === 'string' ? { ...record, requestState: state } : record;
}

/** Registers handlers that give the server the recorded client's answers again, in order, per method. */
function answerFromRecording(client: Client, plan: SessionPlan, result: ReplayResult): void {
  const declared = plan.capabilities;
  for (const method of ANSWERED_METHODS) {
    const capability = method === 'sampling/createMessage' ? 'sampling' : method === 'elicitation/create' ? 'elicitation' : 'roots';
    if (declared[capability] === undefined) continue;
    const handler = async (): Promise<Record<string, unknown>> => {
      const answer = plan.answers.get(method)?.shift();
      if (!answer) {
        result.serverRequests.unanswered.push(method);
        throw new ProtocolError(-32603, `the recording has no more answers to ${method}`);
      }
      result.serverRequests.answered += 1;
      if (answer.error) throw new ProtocolError(answer.error.code, answer.error.message, answer.error.data);
      return answer.result as Record<string, unknown>;
    };
    (client.setRequestHandler as (method: string, handler: () => Promise<Record<string, unknown>>) => void)(method, handler);
  }
}

/**
 * The replay's messages as the proxy relayed them: the events of the sessions and modern channel its connections
 * opened (each names the replay's owner), so responses are compared as they went on the wire.
 */
class WireTap {
  private readonly events: MessageEvent[] = [];
  private readonly owners = new Set<string>();
  private readonly sessions = new Set<string>();
  private readonly unsubscribe: () => void;

  constructor(bus: EventBus, private readonly server: string) {
    this.unsubscribe = bus.subscribe((event) => this.take(event));
  }

  follow(owner: string): void {
    this.owners.add(owner);
    this.sessions.add(`modern:${this.server}:${owner}`);
  }

  /** Starts a request: what came before it is no longer needed (memory stays bounded by one request's messages). */
  mark(): number {
    this.events.length = 0;
    return 0;
  }

  /** The response to the last request of this method sent after the mark. */
  responseTo(method: string, mark: number): MessageEvent | undefined {
    const sent = this.events.slice(mark).findLast((event) => event.direction === 'client-to-server' && event.kind === 'request' && event.method === method);
    if (!sent) return undefined;
    return this.events.slice(mark).find((event) => event.direction === 'server-to-client' && event.kind === 'response' && event.id === sent.id && event.sessionId === sent.sessionId);
  }

  close(): void {
    this.unsubscribe();
  }

  private take(event: LifecycleEvent): void {
    if (event.type === 'session-connecting' && event.owner !== undefined && this.owners.has(event.owner)) this.sessions.add(event.sessionId);
    if (event.type === 'message' && this.sessions.has(event.sessionId)) this.events.push(event);
  }
}
