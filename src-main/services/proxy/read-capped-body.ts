/**
 * Reads at most `maxBytes` of a response body as text and lets the rest go: an error body or an error page says
 * what it has to say in its first kilobytes, and a misbehaving server must not make the proxy buffer megabytes.
 * A body that breaks off mid-way still yields what arrived before.
 */
export async function readCappedBody(response: Response, maxBytes: number): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let bytes = 0;
  try {
    while (bytes < maxBytes) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      text += decoder.decode(value, { stream: true });
    }
  } catch {
    // What arrived before the body broke off is kept.
  } finally {
    void reader.cancel().catch(() => undefined);
  }
  return text;
}
