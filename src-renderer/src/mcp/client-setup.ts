/**
 * The SDK Client every connection uses: the capabilities it declares (sampling, form elicitation, roots with
 * list-change notifications), the protocol era it negotiates, and what it does with what servers send it. Requests
 * and notifications go to a `ServerMessageSink`; the inspector's store is the real one (see inspector/inspector-sink.ts).
 */
import {
  Client,
  type ClientCapabilities,
  type CreateMessageRequest,
  type CreateMessageResult,
  type ElicitRequest,
  type ElicitResult,
  type Root,
} from '@modelcontextprotocol/client';
import { versionNegotiationFor, type ProtocolEraSetting } from '../../../src-shared/protocol-era';
import { InterpretingSchemaValidator } from './schema-validator';

/** What Patchbay's client offers servers. */
export const CLIENT_CAPABILITIES: ClientCapabilities = {
  sampling: {},
  elicitation: { form: {}, url: {} },
  roots: { listChanged: true },
  // The tasks extension (modern era): a tool call may be answered with a task handle, which the inspector follows.
  extensions: { 'io.modelcontextprotocol/tasks': {} },
};

/** A server request's JSON-RPC id, and the signal the SDK aborts when the server cancels it. */
export interface ServerRequestOrigin {
  requestId: string | number;
  signal: AbortSignal;
}

/** Where a client's server requests and notifications go. */
export interface ServerMessageSink {
  /** A client for `server` was made; the connection is about to open. */
  opened(server: string, client: Client): void;
  /** That client's connection closed (or never opened). */
  closed(server: string, client: Client): void;
  /**
   * sampling/createMessage: resolves with the user's reply, rejects when declined (or withdrawn). The server
   * cancelling it (`notifications/cancelled`, any id, 0 included) aborts `origin.signal`.
   */
  createMessage(server: string, client: Client, params: CreateMessageRequest['params'], origin: ServerRequestOrigin): Promise<CreateMessageResult>;
  /** elicitation/create: resolves with accept/decline/cancel; cancelled like createMessage. */
  elicit(server: string, client: Client, params: ElicitRequest['params'], origin: ServerRequestOrigin): Promise<ElicitResult>;
  /** roots/list (in the modern era an input request of a Multi Round-Trip Request, `requestId` its key). */
  roots(server: string, client: Client, requestId: string | number): Root[];
  /** Log messages, resource updates and list changes. */
  notify(server: string, client: Client, notification: { method: string; params?: Record<string, unknown> }): void;
}

/** Identity of the client as it introduces itself. */
export interface ClientIdentity {
  name: string;
  version: string;
}

/** A Client for one connection to `server` in the given era, its handlers wired to the sink. */
export function createPatchbayClient(identity: ClientIdentity, server: string, sink: ServerMessageSink, era: ProtocolEraSetting = 'auto'): Client {
  const client = new Client(identity, {
    capabilities: CLIENT_CAPABILITIES,
    jsonSchemaValidator: new InterpretingSchemaValidator(),
    versionNegotiation: { mode: versionNegotiationFor(era) },
  });
  client.setRequestHandler('sampling/createMessage', (request, ctx) =>
    sink.createMessage(server, client, request.params, { requestId: ctx.mcpReq.id, signal: ctx.mcpReq.signal }),
  );
  client.setRequestHandler('elicitation/create', (request, ctx) => sink.elicit(server, client, request.params, { requestId: ctx.mcpReq.id, signal: ctx.mcpReq.signal }));
  client.setRequestHandler('roots/list', (_request, ctx) => ({ roots: sink.roots(server, client, ctx.mcpReq.id) }));
  const notify = (notification: { method: string; params?: unknown }) =>
    sink.notify(server, client, { method: notification.method, params: notification.params as Record<string, unknown> | undefined });
  client.setNotificationHandler('notifications/message', notify);
  client.setNotificationHandler('notifications/resources/updated', notify);
  client.setNotificationHandler('notifications/tools/list_changed', notify);
  client.setNotificationHandler('notifications/resources/list_changed', notify);
  client.setNotificationHandler('notifications/prompts/list_changed', notify);
  client.onclose = () => sink.closed(server, client);
  sink.opened(server, client);
  return client;
}
