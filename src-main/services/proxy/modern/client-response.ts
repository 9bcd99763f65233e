import type { ServerResponse } from 'node:http';
import { jsonRpcError, type JsonRpcEnvelope, type JsonRpcId } from '../../../../src-shared/jsonrpc';
import type { AcceptedTypes } from './modern-request';

/** A comment line on a quiet stream keeps intermediaries and client idle timers from ending it. */
const KEEP_ALIVE_MS = 15_000;

/**
 * The answer to one modern request, written the way the client can read it. The choice waits for the first message:
 * a final response with nothing before it goes out as one JSON object (when the client accepts JSON); anything that
 * comes before the response (progress, logs, a subscription's notifications) opens an SSE stream scoped to the
 * request, which the final response ends. The client closing the response early is the request's cancellation:
 * `signal` aborts, and nothing more is written.
 */
export class ModernClientResponse {
  private readonly controller = new AbortController();
  private streaming = false;
  private done = false;
  private keepAlive?: NodeJS.Timeout;

  constructor(
    private readonly res: ServerResponse,
    private readonly accepts: AcceptedTypes,
    /** Bytes that may wait for a slow reader before the request is given up (a shared child must not stall). */
    private readonly maxBacklogBytes: number,
  ) {
    res.once('close', () => {
      clearInterval(this.keepAlive);
      if (!res.writableFinished) this.controller.abort(new Error('the client closed the request'));
      this.done = true;
    });
  }

  /** Aborts when the client gave up on the request (closed its response before it was finished). */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Whether the answer is finished or the client has gone; later messages are not written. */
  get finished(): boolean {
    return this.done;
  }

  /** Whether an SSE stream was opened for this request. */
  get isStream(): boolean {
    return this.streaming;
  }

  /**
   * Writes a message that belongs to the request before its answer. Returns false when it could not be written: the
   * client accepts only JSON (which has no room for it), or the answer is over.
   */
  notify(message: JsonRpcEnvelope): boolean {
    if (this.done) return false;
    if (!this.streaming) {
      if (!this.accepts.eventStream) return false;
      this.openStream();
    }
    this.writeEvent(message);
    return true;
  }

  /** Writes the final response and ends the answer. */
  finish(message: JsonRpcEnvelope, status = 200): void {
    if (this.done) return;
    this.done = true;
    clearInterval(this.keepAlive);
    if (!this.streaming && (this.accepts.json || !this.accepts.eventStream)) {
      this.res.writeHead(status, { 'Content-Type': 'application/json' });
      this.res.end(JSON.stringify(message));
      return;
    }
    if (!this.streaming) this.openStream(status);
    this.writeEvent(message);
    this.res.end();
  }

  /** Answers with a JSON-RPC error: with its HTTP status while nothing was sent, else as the stream's last event. */
  fail(status: number, id: JsonRpcId | null, code: number, message: string, data?: unknown): void {
    this.finish(jsonRpcError(id, code, message, data), status);
  }

  /** Resolves once the client has taken what was written (a remote upstream's stream is read no faster). */
  whenDrained(): Promise<void> {
    if (this.done || !this.res.writableNeedDrain) return Promise.resolve();
    return new Promise((resolve) => {
      const settle = (): void => {
        this.res.off('drain', settle);
        this.res.off('close', settle);
        resolve();
      };
      this.res.once('drain', settle);
      this.res.once('close', settle);
    });
  }

  /** Whether more is waiting for a slow client than it may. */
  get overBacklog(): boolean {
    return this.res.writableLength > this.maxBacklogBytes;
  }

  private openStream(status = 200): void {
    this.streaming = true;
    this.res.writeHead(status, {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    this.res.flushHeaders();
    this.keepAlive = setInterval(() => {
      if (!this.done && !this.res.writableNeedDrain) this.res.write(': keep-alive\n\n');
    }, KEEP_ALIVE_MS);
    this.keepAlive.unref();
  }

  private writeEvent(message: JsonRpcEnvelope): void {
    this.res.write(`event: message\ndata: ${JSON.stringify(message)}\n\n`);
  }
}
