import { describe, expect, it } from 'vitest';
import { createSseParser, type SseEvent } from './sse-parser';

function parseAll(chunks: string[]): SseEvent[] {
  const events: SseEvent[] = [];
  const parser = createSseParser((event) => events.push(event));
  for (const chunk of chunks) parser.push(chunk);
  return events;
}

describe('createSseParser', () => {
  it('parses named events with JSON data', () => {
    expect(parseAll(['event: lifecycle\ndata: {"seq":1}\n\nevent: catalog\ndata: []\n\n'])).toEqual([
      { event: 'lifecycle', data: '{"seq":1}' },
      { event: 'catalog', data: '[]' },
    ]);
  });

  it('reassembles events split across chunks at any position', () => {
    const text = 'id: 7\nevent: lifecycle\ndata: {"a":1}\n\n: keep-alive\n\ndata: x\n\n';
    for (let size = 1; size <= text.length; size += 1) {
      const chunks: string[] = [];
      for (let i = 0; i < text.length; i += size) chunks.push(text.slice(i, i + size));
      expect(parseAll(chunks)).toEqual([
        { event: 'lifecycle', data: '{"a":1}', id: '7' },
        { event: 'message', data: 'x', id: '7' },
      ]);
    }
  });

  it('accepts CRLF and CR line endings, also when a CRLF is split between chunks', () => {
    expect(parseAll(['data: a\r', '\n\r', '\ndata: b\r\rdata: c\r\n\r\n'])).toEqual([
      { event: 'message', data: 'a' },
      { event: 'message', data: 'b' },
      { event: 'message', data: 'c' },
    ]);
  });

  it('joins multi-line data and ignores comments, unknown fields and empty events', () => {
    expect(parseAll([': hello\n\nretry: 10\nfoo: bar\ndata: one\ndata:two\ndata\n\nevent: only-type\n\n'])).toEqual([
      { event: 'message', data: 'one\ntwo\n' },
    ]);
  });

  it('drops an incomplete event on reset', () => {
    const events: SseEvent[] = [];
    const parser = createSseParser((event) => events.push(event));
    parser.push('event: lifecycle\ndata: {"half":');
    parser.reset();
    parser.push('data: whole\n\n');
    expect(events).toEqual([{ event: 'message', data: 'whole' }]);
  });
});
