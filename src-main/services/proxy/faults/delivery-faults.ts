import type { ServerResponse } from 'node:http';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { ClientTransportKind } from '../../../../src-shared/catalog';
import { messageKind, type JsonRpcEnvelope, type JsonRpcId } from '../../../../src-shared/jsonrpc';
import type { DirectRequestStream } from '../direct-post';
import type { DeliveryFault } from './session-faults';

/** Where a message for the client goes: the session's SDK transport, and the stream the delivery routed it to. */
export interface FaultTarget {
  transport: Transport;
  kind: ClientTransportKind;
  res: ServerResponse | undefined;
  /** A direct POST's stream (direct-post.ts), which the proxy writes itself. */
  direct: DirectRequestStream | undefined;
}

/**
 * Writes a server message to the client the wrong way on purpose: twice, as invalid JSON, or cut off with its stream
 * closed. The bytes are framed as an SSE event, as every client stream of a session is. A direct POST's stream is the
 * proxy's own; the other streams belong to the SDK's transports, which only write a well-formed message once, so the
 * bytes go past them: onto the HTTP+SSE event stream, or into the SDK's Streamable HTTP stream (a private map, as
 * `sdkHasStandaloneStream` reads; the fault tests pin that shape, so an SDK that changes it fails them).
 * @throws an Error saying why the fault could not be written (the caller reports it).
 */
export async function deliverWithFault(target: FaultTarget, message: JsonRpcEnvelope, json: string, relatedRequestId: JsonRpcId | undefined, fault: DeliveryFault): Promise<void> {
  switch (fault) {
    case 'duplicate':
      // The copy goes first only because a request's stream ends once its answer is written; both are the same
      // bytes, so the client cannot tell which one is the copy.
      writeEvent(target, message, relatedRequestId, json);
      if (target.direct) target.direct.write(message, json);
      else await target.transport.send(message as JSONRPCMessage, relatedRequestId === undefined ? undefined : { relatedRequestId });
      return;
    case 'corrupt':
      // The closing brace is cut: valid UTF-8, invalid JSON. The stream stays open, waiting for an answer that
      // never comes in a readable form.
      writeEvent(target, message, relatedRequestId, json.slice(0, -1));
      return;
    case 'close-stream': {
      const stream = target.res ?? sseResponse(target.transport);
      if (!stream || stream.destroyed) throw new Error('the stream to close was already gone');
      // Half an event, then the connection ends: the client is cut off in the middle of the response.
      const partial = `event: message\ndata: ${json.slice(0, Math.ceil(json.length / 2))}`;
      await new Promise<void>((resolve) => stream.write(partial, () => resolve()));
      stream.destroy();
      return;
    }
  }
}

/** Writes one SSE event of raw `data` onto the stream a message belongs to, as the SDK would frame it. */
function writeEvent(target: FaultTarget, message: JsonRpcEnvelope, relatedRequestId: JsonRpcId | undefined, data: string): void {
  const frame = `event: message\ndata: ${data}\n\n`;
  if (target.direct) {
    if (!target.direct.open) throw new Error('the request stream is already closed');
    target.direct.res.write(frame);
    return;
  }
  if (target.kind === 'sse') {
    const stream = target.res ?? sseResponse(target.transport);
    if (!stream || stream.destroyed) throw new Error('the client has no event stream open');
    stream.write(frame);
    return;
  }
  const inner = (target.transport as unknown as { _webStandardTransport?: SdkStreams })._webStandardTransport;
  if (!inner?._streamMapping || !inner._requestToStreamMapping) throw new Error("the SDK's Streamable HTTP transport no longer keeps its streams where Patchbay looks");
  const byRequest = messageKind(message) === 'response' ? (message.id as JsonRpcId) : relatedRequestId;
  const streamId = byRequest === undefined ? STANDALONE_STREAM : (inner._requestToStreamMapping.get(byRequest) ?? STANDALONE_STREAM);
  const stream = inner._streamMapping.get(streamId);
  if (!stream?.controller || !stream.encoder) throw new Error('the client has no open stream for this message');
  stream.controller.enqueue(stream.encoder.encode(frame));
}

const STANDALONE_STREAM = '_GET_stream';

interface SdkStreams {
  _streamMapping?: Map<string, { controller?: ReadableStreamDefaultController<Uint8Array>; encoder?: TextEncoder }>;
  _requestToStreamMapping?: Map<JsonRpcId, string>;
}

/** The event stream of an HTTP+SSE session, as the SDK's SSEServerTransport holds it. */
function sseResponse(transport: Transport): ServerResponse | undefined {
  return (transport as unknown as { _sseResponse?: ServerResponse })._sseResponse;
}
