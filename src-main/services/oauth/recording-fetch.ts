import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import { redactBody, redactHeaders, redactUrl, type AuthExchange } from '../../../src-shared/oauth';

/** Most of a body kept per exchange; the rest is cut (and the exchange says so). */
const MAX_BODY_CHARS = 32 * 1024;

/**
 * A fetch that records each exchange of a step, redacted (tokens, secrets, codes), with its timing: the SDK's step
 * functions are given it as their fetchFn, so the debugger shows exactly what they sent and got.
 */
export function recordingFetch(base: FetchLike, record: (exchange: AuthExchange) => void): FetchLike {
  return async (url, init) => {
    const startedAt = Date.now();
    const requestHeaders = new Headers(init?.headers);
    const requestText = bodyText(init?.body);
    const request = {
      method: (init?.method ?? 'GET').toUpperCase(),
      url: redactUrl(String(url)),
      requestHeaders: redactHeaders(requestHeaders),
      requestBody: requestText === undefined ? undefined : redactBody(requestText, requestHeaders.get('content-type') ?? undefined),
    };
    let response: Response;
    try {
      response = await base(url, init);
    } catch (error) {
      record({ ...request, responseHeaders: {}, error: error instanceof Error ? error.message : String(error), startedAt, durationMs: Date.now() - startedAt });
      throw error;
    }
    // A clone is read so the caller still gets the whole body.
    const text = await response
      .clone()
      .text()
      .catch(() => undefined);
    const truncated = (text?.length ?? 0) > MAX_BODY_CHARS || (request.requestBody?.length ?? 0) > MAX_BODY_CHARS;
    record({
      ...request,
      requestBody: request.requestBody?.slice(0, MAX_BODY_CHARS),
      status: response.status,
      responseHeaders: redactHeaders(response.headers),
      responseBody: text === undefined || text === '' ? undefined : redactBody(text, response.headers.get('content-type') ?? undefined).slice(0, MAX_BODY_CHARS),
      truncated: truncated || undefined,
      startedAt,
      durationMs: Date.now() - startedAt,
    });
    return response;
  };
}

function bodyText(body: RequestInit['body'] | undefined): string | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return body;
  if (body instanceof URLSearchParams) return body.toString();
  return `(${Object.prototype.toString.call(body).slice(8, -1)} body)`;
}
