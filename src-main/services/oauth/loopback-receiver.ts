import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AuthFlowError, SPEC_RULES } from './spec-rules';

/** The authorization response's parameters, as the redirect brought them (RFC 6749 §4.1.2). */
export type CallbackParams = Record<string, string>;

/** How long the browser's request is held open for the flow to say how it went, before a neutral page. */
const ANSWER_HOLD_MS = 15_000;

/**
 * Receives the authorization response on a loopback address (RFC 8252 §7.3): http://127.0.0.1:<port>/callback, one
 * use. The first request to /callback is the answer: its `state` is checked, the flow is handed its parameters and
 * answers the browser with a small page (signed in, or the error); then the receiver closes. It also closes on
 * cancel or when the wait times out. Any other path gets a 404 and changes nothing.
 */
export class LoopbackReceiver {
  private received?: { resolve: (params: CallbackParams) => void; reject: (error: Error) => void };
  private pendingAnswer?: ServerResponse;
  private answerTimer?: NodeJS.Timeout;
  private waitTimer?: NodeJS.Timeout;
  private expectedState?: string;
  private used = false;
  private closed = false;
  private early?: { params?: CallbackParams; error?: Error };

  private constructor(
    private readonly server: Server,
    readonly redirectUri: string,
  ) {}

  /** Starts listening on 127.0.0.1: on `preferredPort` when it is free (a client registered with it), else any port. */
  static async start(preferredPort?: number): Promise<LoopbackReceiver> {
    const server = createServer();
    const listen = (port: number) =>
      new Promise<void>((resolve, reject) => {
        const onError = (error: Error) => reject(error);
        server.once('error', onError);
        server.listen(port, '127.0.0.1', () => {
          server.off('error', onError);
          resolve();
        });
      });
    try {
      await listen(preferredPort ?? 0);
    } catch (error) {
      if (preferredPort === undefined) throw error;
      await listen(0);
    }
    const { port } = server.address() as AddressInfo;
    const receiver = new LoopbackReceiver(server, `http://127.0.0.1:${port}/callback`);
    server.on('request', (request, response) => receiver.onRequest(request, response));
    return receiver;
  }

  get port(): number {
    return Number(new URL(this.redirectUri).port);
  }

  /**
   * Waits for the redirect carrying `state`; rejects on a state mismatch (the response is discarded), on timeout
   * and on close. Call once.
   */
  wait(state: string, timeoutMs: number): Promise<CallbackParams> {
    this.expectedState = state;
    return new Promise<CallbackParams>((resolve, reject) => {
      if (this.early) {
        if (this.early.error) reject(this.early.error);
        else resolve(this.early.params!);
        return;
      }
      if (this.closed) {
        reject(new AuthFlowError('the sign-in was cancelled'));
        return;
      }
      this.received = { resolve, reject };
      this.waitTimer = setTimeout(() => {
        this.fail(new AuthFlowError(`no answer came back from the browser within ${Math.round(timeoutMs / 1000)} s; start the sign-in again`));
      }, timeoutMs);
      this.waitTimer.unref();
    });
  }

  /** Answers the browser that brought the redirect: a page saying it worked (you can close this tab), or the error. */
  answer(ok: boolean, message: string): void {
    const response = this.pendingAnswer;
    this.pendingAnswer = undefined;
    clearTimeout(this.answerTimer);
    if (response && !response.writableEnded) {
      response.writeHead(ok ? 200 : 400, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', connection: 'close' });
      // The port closes once the page has left.
      response.end(page(ok ? 'Signed in' : 'Sign-in failed', message), () => this.shutDown());
      return;
    }
    this.shutDown();
  }

  /** Stops waiting (cancel): the wait rejects, the browser (if it came) is told, the port is closed. */
  close(reason = 'the sign-in was cancelled'): void {
    if (this.received) this.fail(new AuthFlowError(reason));
    if (this.pendingAnswer) this.answer(false, reason);
    this.shutDown();
  }

  private onRequest(request: IncomingMessage, response: ServerResponse): void {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/callback' || request.method !== 'GET' || this.used) {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found');
      return;
    }
    this.used = true;
    const params = Object.fromEntries(url.searchParams);
    this.pendingAnswer = response;
    this.answerTimer = setTimeout(() => this.answer(true, 'Patchbay received the answer of the authorization server; you can close this tab.'), ANSWER_HOLD_MS);
    this.answerTimer.unref();
    const expected = this.expectedState;
    if (expected !== undefined && params.state !== expected) {
      const error = new AuthFlowError(
        params.state === undefined ? 'the authorization response carried no state' : 'the authorization response carried another state than the request sent',
        SPEC_RULES.stateMismatch,
      );
      this.answer(false, `${error.message}; it was discarded. Start the sign-in again from Patchbay.`);
      this.deliver(undefined, error);
      return;
    }
    this.deliver(params);
  }

  private deliver(params: CallbackParams | undefined, error?: Error): void {
    clearTimeout(this.waitTimer);
    const waiting = this.received;
    this.received = undefined;
    if (!waiting) {
      this.early = { params, error };
      return;
    }
    if (error) waiting.reject(error);
    else waiting.resolve(params!);
  }

  private fail(error: Error): void {
    clearTimeout(this.waitTimer);
    const waiting = this.received;
    this.received = undefined;
    waiting?.reject(error);
    this.shutDown();
  }

  private shutDown(): void {
    if (this.closed) return;
    if (this.pendingAnswer) return; // closes once the browser has its page
    this.closed = true;
    clearTimeout(this.waitTimer);
    clearTimeout(this.answerTimer);
    this.server.close();
    this.server.closeIdleConnections();
  }
}

function page(title: string, message: string): string {
  const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)} · MCP Patchbay</title></head><body style="font-family: system-ui, sans-serif; margin: 3rem auto; max-width: 36rem"><h1>${escape(title)}</h1><p>${escape(message)}</p></body></html>`;
}
