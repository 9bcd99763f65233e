import type { FetchLike, Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { readCappedBody } from './read-capped-body';

/** Most of an error page read to find its title; the rest is discarded unread. */
const MAX_PAGE_BYTES = 256 * 1024;
/** Longest page title or text kept in a message. */
const MAX_SUMMARY_CHARS = 200;

/** A remote server's failed answer that was an HTML page, as one line. */
export interface PageFailure {
  status: number;
  summary: string;
}

/**
 * Gateways and hosting platforms answer a broken remote MCP server with an HTML error page (`502 Bad Gateway`),
 * and the SDK transports put the whole body into their error messages, or (for the SSE stream) only the status.
 * This wraps a remote upstream so that such a failure is reported as `HTTP 502: 502 Bad Gateway`: a fetch that
 * swaps an HTML error body for that line (remembering it), and a transport whose errors say it.
 */
/** @param baseFetch what reaches the server: Node's fetch, or one over a local socket (socket-fetch.ts). */
export function withReadableErrorPages(build: (fetch: FetchLike) => Transport, baseFetch: FetchLike = fetch): Transport {
  let lastFailure: PageFailure | undefined;
  const pageAwareFetch = readableErrorPageFetch(baseFetch, (failure) => (lastFailure = failure));
  const transport = build(pageAwareFetch);
  const readable = (error: unknown): unknown => readableRemoteError(error, lastFailure);

  const start = transport.start.bind(transport);
  const send = transport.send.bind(transport);
  transport.start = () => start().catch((error: unknown) => Promise.reject(readable(error)));
  transport.send = (message, options) => send(message, options).catch((error: unknown) => Promise.reject(readable(error)));
  // The session assigns onerror after this; the SDK calls it through the property, so the setter wraps it.
  let onerror: Transport['onerror'];
  Object.defineProperty(transport, 'onerror', {
    configurable: true,
    enumerable: true,
    get: () => onerror,
    set: (handler: Transport['onerror']) => {
      onerror = handler && ((error: Error) => handler(readable(error) as Error));
    },
  });
  return transport;
}

/**
 * Rewrites an SDK error whose message holds an HTML page, or that stands for the HTML error page just seen, as
 * `HTTP <status>: <title>`. The status stays on `code`, where the SSE fallback reads it; other errors pass as they are.
 */
export function readableRemoteError(error: unknown, lastFailure?: PageFailure): unknown {
  if (!(error instanceof Error)) return error;
  const code = (error as { code?: unknown }).code;
  let message: string | undefined;
  if (lastFailure && (error.message.includes(lastFailure.summary) || code === lastFailure.status || error.message.includes(`(${lastFailure.status})`))) {
    message = lastFailure.summary;
  } else if (looksLikeHtml(error.message)) {
    const status = typeof code === 'number' && code > 0 ? code : Number(/\(HTTP (\d{3})\)/.exec(error.message)?.[1]);
    const summary = summarizeHtmlPage(error.message.slice(error.message.search(/<(!doctype|html|head|body|title)/i)), '');
    message = Number.isInteger(status) && status > 0 ? `HTTP ${status}: ${summary}` : `the server answered with an HTML page: ${summary}`;
  }
  if (message === undefined) return error;
  // No `cause`: error reports append a cause's message, which is what this replaces.
  const readable = new Error(message);
  if (code !== undefined) Object.assign(readable, { code });
  return readable;
}

/** The title of an HTML page, else its first heading, else the start of its text, else the status text. */
export function summarizeHtmlPage(html: string, statusText: string): string {
  const pick = (pattern: RegExp): string => clean(pattern.exec(html)?.[1] ?? '');
  const summary = pick(/<title[^>]*>([\s\S]*?)<\/title>/i) || pick(/<h1[^>]*>([\s\S]*?)<\/h1>/i) || clean(html.replace(/<(script|style)[\s\S]*?<\/\1>/gi, ''));
  return summary || statusText || 'an HTML error page';
}

/**
 * A fetch whose failed answers that are HTML pages come back as one line of text, `HTTP 502: <title>`, with the same
 * status (`onFailure` hears each such failure, and undefined after a success). Used by both eras' remote upstreams.
 */
export function readableErrorPageFetch(baseFetch: FetchLike, onFailure?: (failure: PageFailure | undefined) => void): FetchLike {
  return async (url, init) => {
    const response = await baseFetch(url, init);
    if (response.ok) {
      onFailure?.(undefined);
      return response;
    }
    if (!isHtml(response)) return response;
    const page = await readCappedBody(response, MAX_PAGE_BYTES);
    const failure: PageFailure = { status: response.status, summary: `HTTP ${response.status}: ${summarizeHtmlPage(page, response.statusText)}` };
    onFailure?.(failure);
    const headers = new Headers(response.headers);
    headers.set('content-type', 'text/plain; charset=utf-8');
    headers.delete('content-length');
    headers.delete('content-encoding');
    return new Response(failure.summary, { status: response.status, statusText: response.statusText, headers });
  };
}

function clean(fragment: string): string {
  const text = decodeEntities(fragment.replace(/<[^>]*>/g, ' ')).replace(/\s+/g, ' ').trim();
  return text.length > MAX_SUMMARY_CHARS ? `${text.slice(0, MAX_SUMMARY_CHARS)}…` : text;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const codePoint = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return codePoint > 0 && codePoint <= 0x10ffff ? String.fromCodePoint(codePoint) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

function isHtml(response: Response): boolean {
  return /^\s*(text\/html|application\/xhtml\+xml)/i.test(response.headers.get('content-type') ?? '');
}

function looksLikeHtml(text: string): boolean {
  return /<(!doctype html|html[\s>]|head>|body[\s>]|title>)/i.test(text);
}
