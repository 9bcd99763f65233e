import { request as httpRequest, type ClientRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';

/** How an HTTP exchange ended: its body was read to the end, or it broke off (aborted, reset, destroyed). */
export type ExchangeEnd = 'ended' | 'broken';

/** One Server-Sent Event. */
export interface SseEvent {
  event: string;
  data: string;
}

/** Every exchange a harness opened, so a run can prove that none of them hangs. */
export class ExchangeTracker {
  private readonly open = new Set<HttpExchange>();
  statuses = new Map<number, number>();
  started = 0;

  add(exchange: HttpExchange): void {
    this.started += 1;
    this.open.add(exchange);
    void exchange.ended.then(() => this.open.delete(exchange));
  }

  noteStatus(status: number): void {
    this.statuses.set(status, (this.statuses.get(status) ?? 0) + 1);
  }

  /** Exchanges that have neither ended nor broken off. */
  stillOpen(): string[] {
    return [...this.open].map((exchange) => exchange.description);
  }
}

/**
 * One raw HTTP request and its response, on its own connection (no keep-alive), so that a client can be dropped
 * by destroying its sockets and a slow reader can pause one response. Server-Sent Events are parsed as they
 * arrive; any other body is collected. `ended` always settles.
 */
export class HttpExchange {
  readonly request: ClientRequest;
  readonly description: string;
  response?: IncomingMessage;
  /** The body of a response that is not an event stream. */
  body = '';
  readonly responded: Promise<IncomingMessage>;
  readonly ended: Promise<ExchangeEnd>;
  private sseBuffer = '';
  private readonly listeners: Array<(event: SseEvent) => void> = [];

  constructor(
    url: URL,
    init: { method: string; headers: Record<string, string>; body?: string },
    tracker: ExchangeTracker,
  ) {
    this.description = `${init.method} ${url.pathname}${url.search}${init.body ? ` ${init.body.slice(0, 120)}` : ''}`;
    let settleEnd!: (end: ExchangeEnd) => void;
    this.ended = new Promise<ExchangeEnd>((resolve) => (settleEnd = resolve));
    let settled = false;
    const finish = (end: ExchangeEnd): void => {
      if (settled) return;
      settled = true;
      settleEnd(end);
    };
    const headers = { ...init.headers, ...(init.body !== undefined ? { 'Content-Length': String(Buffer.byteLength(init.body)) } : {}) };
    this.request = httpRequest(url, { method: init.method, headers, agent: false });
    this.responded = new Promise<IncomingMessage>((resolve, reject) => {
      this.request.once('response', (response) => {
        this.response = response;
        tracker.noteStatus(response.statusCode ?? 0);
        const isEventStream = (response.headers['content-type'] ?? '').startsWith('text/event-stream');
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (isEventStream ? this.parse(chunk) : (this.body += chunk)));
        response.once('end', () => finish('ended'));
        response.once('close', () => finish(response.complete ? 'ended' : 'broken'));
        response.once('error', () => finish('broken'));
        resolve(response);
      });
      this.request.once('error', (error) => {
        finish('broken');
        reject(error);
      });
      this.request.once('close', () => {
        if (!this.response) {
          finish('broken');
          reject(new Error('the connection closed before a response'));
        }
      });
    });
    // Whoever needs the response awaits it; a failure is also reported through `ended`.
    this.responded.catch(() => undefined);
    tracker.add(this);
    this.request.end(init.body);
  }

  get status(): number | undefined {
    return this.response?.statusCode;
  }

  get headers(): IncomingHttpHeaders {
    return this.response?.headers ?? {};
  }

  /** Calls `listener` for every event of an event-stream response (add it right away: events are not replayed). */
  onEvent(listener: (event: SseEvent) => void): void {
    this.listeners.push(listener);
  }

  /** Stops reading the response for a while (a slow reader); the server sees backpressure. */
  pauseFor(ms: number): void {
    const response = this.response;
    if (!response || response.destroyed) return;
    response.pause();
    setTimeout(() => response.resume(), ms).unref();
  }

  /** Drops the connection at once, as a crashed client would. */
  destroy(): void {
    this.request.destroy();
    this.response?.destroy();
  }

  private parse(chunk: string): void {
    this.sseBuffer += chunk;
    let boundary = this.sseBuffer.indexOf('\n\n');
    while (boundary !== -1) {
      const block = this.sseBuffer.slice(0, boundary);
      this.sseBuffer = this.sseBuffer.slice(boundary + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
      if (data.length > 0) for (const listener of this.listeners) listener({ event, data: data.join('\n') });
      boundary = this.sseBuffer.indexOf('\n\n');
    }
  }
}
