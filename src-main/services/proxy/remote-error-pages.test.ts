import { describe, expect, it } from 'vitest';
import { readableRemoteError, summarizeHtmlPage } from './remote-error-pages';

describe('summarizeHtmlPage', () => {
  it('takes the title, then the first heading, then the text, with entities decoded', () => {
    expect(summarizeHtmlPage('<html><head><title>\n  502 Bad Gateway\n</title></head><body>x</body></html>', 'Bad Gateway')).toBe('502 Bad Gateway');
    expect(summarizeHtmlPage('<body><h1>Service &amp; API <em>down</em></h1><p>later</p></body>', '')).toBe('Service & API down');
    expect(summarizeHtmlPage('<body><style>p{}</style><p>Upstream&#39;s gone &#x2014; retry</p></body>', '')).toBe("Upstream's gone — retry");
    expect(summarizeHtmlPage('<html></html>', 'Service Unavailable')).toBe('Service Unavailable');
    expect(summarizeHtmlPage(`<title>${'x'.repeat(500)}</title>`, '').length).toBe(201);
  });
});

describe('readableRemoteError', () => {
  it('rewrites a message that embeds a page, keeping the status code', () => {
    const error = Object.assign(new Error('Streamable HTTP error: Error POSTing to endpoint: <!DOCTYPE html><html><head><title>Oops</title></head></html>'), { code: 500 });
    const readable = readableRemoteError(error) as Error & { code: number };
    expect(readable.message).toBe('HTTP 500: Oops');
    expect(readable.code).toBe(500);
  });

  it('reads the status from the SSE transport wording and leaves other errors alone', () => {
    expect((readableRemoteError(new Error('Error POSTing to endpoint (HTTP 503): <html><title>Down</title></html>')) as Error).message).toBe('HTTP 503: Down');
    const plain = new Error('fetch failed');
    expect(readableRemoteError(plain)).toBe(plain);
  });
});
