import type { ServerResponse } from 'node:http';

/**
 * The HTTP responses a session's client reads from: request streams (a Streamable HTTP POST that carries requests,
 * answered on its own response) and event streams (the HTTP+SSE stream, or the Streamable HTTP standalone GET).
 * The session learns from them when a client stopped waiting for a request, and when everything it was told has
 * left for the client, so a close need not wait out its whole grace.
 */
export class ClientStreams {
  private readonly requestStreams = new Set<ServerResponse>();
  private readonly eventStreams = new Set<ServerResponse>();

  /**
   * Watches a POST response that carries requests. If it closes before it was finished (the client aborted its
   * fetch), `onAbandoned` hears which requests it carried.
   */
  watchRequestStream<Id>(res: ServerResponse, requestIds: Id[], onAbandoned: (requestIds: Id[]) => void): void {
    if (res.writableFinished || res.destroyed) return;
    this.requestStreams.add(res);
    res.once('close', () => {
      this.requestStreams.delete(res);
      if (!res.writableFinished) onAbandoned(requestIds);
    });
  }

  /** Watches an event stream (SSE) the client keeps open. */
  watchEventStream(res: ServerResponse): void {
    if (res.writableEnded || res.destroyed) return;
    this.eventStreams.add(res);
    res.once('close', () => this.eventStreams.delete(res));
  }

  /** Whether the client has an event stream open on which a notice can reach it. */
  get hasEventStream(): boolean {
    for (const res of this.eventStreams) if (isOpenEventStream(res)) return true;
    return false;
  }

  /**
   * Resolves once what was sent to the client has left: every request stream has ended (the transport ends each
   * once its requests are answered) and every event stream has flushed what was written to it. Resolves never
   * when the client has no stream at all and `needsEventStream` says a notice had to reach it.
   */
  whenFlushed(needsEventStream: boolean): Promise<void> {
    if (needsEventStream && !this.hasEventStream) return new Promise<void>(() => undefined);
    const requestsEnded = [...this.requestStreams].map((res) => new Promise<void>((resolve) => res.once('close', () => resolve())));
    // Writes go out in order, so a comment flushed means everything written before it was flushed too.
    const eventsFlushed = [...this.eventStreams].map(
      (res) =>
        new Promise<void>((resolve) => {
          if (!isOpenEventStream(res)) return resolve();
          res.write(': closing\n\n', () => resolve());
        }),
    );
    return Promise.all([...requestsEnded, ...eventsFlushed]).then(() => undefined);
  }
}

/** A response that is an event stream under way (a refusal is an error status, answered and ended at once). */
function isOpenEventStream(res: ServerResponse): boolean {
  return res.headersSent && res.statusCode === 200 && !res.writableEnded && !res.destroyed;
}
