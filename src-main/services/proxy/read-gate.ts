import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';

/**
 * A gate on reading from a remote server: while it is shut, the bodies of the server's responses (its SSE streams
 * included) are not read further, so TCP flow control slows the server down instead of the proxy buffering what
 * a slow client has not taken yet.
 */
export class ReadGate {
  private shut = false;
  private released = false;
  private waiters: Array<() => void> = [];

  get isShut(): boolean {
    return this.shut;
  }

  pause(): void {
    if (!this.released) this.shut = true;
  }

  resume(): void {
    this.shut = false;
    for (const wake of this.waiters.splice(0)) wake();
  }

  /** Opens the gate for good (the upstream is closing), so no read waits on it any more. */
  release(): void {
    this.released = true;
    this.resume();
  }

  /** Resolves once reading may go on. */
  whenOpen(): Promise<void> {
    return this.shut ? new Promise((resolve) => this.waiters.push(resolve)) : Promise.resolve();
  }
}

/**
 * Wraps fetch so that the body of every successful response is read only while the gate is open. Other responses
 * (redirects, errors) pass as they are: the SDK reads their status and headers, and their bodies are small.
 */
export function gatedFetch(gate: ReadGate, base: FetchLike): FetchLike {
  return async (url, init) => {
    const response = await base(url, init);
    if (!response.ok || !response.body) return response;
    const reader = response.body.getReader();
    const body = new ReadableStream<Uint8Array>(
      {
        async pull(controller) {
          await gate.whenOpen();
          const chunk = await reader.read();
          if (chunk.done) controller.close();
          else controller.enqueue(chunk.value);
        },
        cancel: (reason) => reader.cancel(reason),
      },
      // Nothing is read ahead of the consumer: the gate decides every read.
      { highWaterMark: 0 },
    );
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}
