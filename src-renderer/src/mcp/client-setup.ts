/**
 * The SDK Client every connection uses: the capabilities it declares (sampling, form elicitation, roots with
 * list-change notifications) and what it does with what servers send it. Requests and notifications go to a
 * `ServerMessageSink`; the inspector's store is the real one (see inspector/inspector-sink.ts).
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  CancelledNotificationSchema,
  CreateMessageRequestSchema,
  ElicitRequestSchema,
  ListRootsRequestSchema,
  LoggingMessageNotificationSchema,
  PromptListChangedNotificationSchema,
  ResourceListChangedNotificationSchema,
  ResourceUpdatedNotificationSchema,
  ToolListChangedNotificationSchema,
  type ClientCapabilities,
  type CreateMessageRequest,
  type CreateMessageResult,
  type ElicitRequest,
  type ElicitResult,
  type Root,
} from '@modelcontextprotocol/sdk/types.js';
import { InterpretingSchemaValidator } from './schema-validator';

/** What Patchbay's client offers servers. */
export const CLIENT_CAPABILITIES: ClientCapabilities = {
  sampling: {},
  elicitation: { form: {} },
  roots: { listChanged: true },
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
  /** sampling/createMessage: resolves with the user's reply, rejects when declined (or withdrawn). */
  createMessage(server: string, client: Client, params: CreateMessageRequest['params'], origin: ServerRequestOrigin): Promise<CreateMessageResult>;
  /** elicitation/create: resolves with accept/decline/cancel. */
  elicit(server: string, client: Client, params: ElicitRequest['params'], origin: ServerRequestOrigin): Promise<ElicitResult>;
  /** The server cancelled one of its requests. */
  cancelled(server: string, client: Client, requestId: string | number | undefined, reason?: string): void;
  /** roots/list. */
  roots(server: string): Root[];
  /** Log messages, resource updates and list changes. */
  notify(server: string, client: Client, notification: { method: string; params?: Record<string, unknown> }): void;
}

/** Identity of the client as it introduces itself. */
export interface ClientIdentity {
  name: string;
  version: string;
}

/** A Client for one connection to `server`, its handlers wired to the sink. */
export function createPatchbayClient(identity: ClientIdentity, server: string, sink: ServerMessageSink): Client {
  const client = new Client(identity, { capabilities: CLIENT_CAPABILITIES, jsonSchemaValidator: new InterpretingSchemaValidator() });
  client.setRequestHandler(CreateMessageRequestSchema, (request, extra) => sink.createMessage(server, client, request.params, { requestId: extra.requestId, signal: extra.signal }));
  client.setRequestHandler(ElicitRequestSchema, (request, extra) => sink.elicit(server, client, request.params, { requestId: extra.requestId, signal: extra.signal }));
  // The SDK ignores a cancellation of request id 0 (a falsy check), and a server's first request has id 0: the sink
  // hears every cancellation itself, and the SDK's own handling (aborting the handler's signal) still runs.
  const sdkCancelHandler = (client as unknown as { _notificationHandlers?: Map<string, (notification: unknown) => Promise<void>> })._notificationHandlers?.get(
    'notifications/cancelled',
  );
  client.setNotificationHandler(CancelledNotificationSchema, async (notification) => {
    sink.cancelled(server, client, notification.params.requestId, notification.params.reason);
    await sdkCancelHandler?.(notification);
  });
  client.setRequestHandler(ListRootsRequestSchema, () => ({ roots: sink.roots(server) }));
  const notify = (notification: { method: string; params?: unknown }) =>
    sink.notify(server, client, { method: notification.method, params: notification.params as Record<string, unknown> | undefined });
  client.setNotificationHandler(LoggingMessageNotificationSchema, notify);
  client.setNotificationHandler(ResourceUpdatedNotificationSchema, notify);
  client.setNotificationHandler(ToolListChangedNotificationSchema, notify);
  client.setNotificationHandler(ResourceListChangedNotificationSchema, notify);
  client.setNotificationHandler(PromptListChangedNotificationSchema, notify);
  client.onclose = () => sink.closed(server, client);
  sink.opened(server, client);
  return client;
}
