import { describe, expect, it } from 'vitest';
import { base64ByteLength, base64ToBytes, dataUrl, parseDataUrl, describeContent, describeMessages, describeResourceContents, describeToolResult, fileNameOf, formatBytes, jsonText } from './result-model';
import type { JsonSchema } from './schema-form/json-schema';

const PNG = 'iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAIAAACQkWg2AAAAJUlEQVR4nGPQz78NRx8W2MARLnGGQaiBGEXI4oNRwyAM1pEYDwAAn6KQ8gh4UQAAAABJRU5ErkJggg==';

describe('describeContent', () => {
  it('shows text, pretty-printing JSON objects and arrays only', () => {
    expect(describeContent({ type: 'text', text: 'hello' })).toEqual({ kind: 'text', text: 'hello', json: undefined });
    expect(describeContent({ type: 'text', text: '{"a":1}' })).toEqual({ kind: 'text', text: '{"a":1}', json: '{\n  "a": 1\n}' });
    expect(describeContent({ type: 'text', text: '42' })).toMatchObject({ json: undefined });
  });

  it('makes images and audio data URLs with their decoded size', () => {
    expect(describeContent({ type: 'image', data: PNG, mimeType: 'image/png' })).toEqual({ kind: 'image', mimeType: 'image/png', src: `data:image/png;base64,${PNG}`, bytes: 94 });
    expect(describeContent({ type: 'audio', data: 'UklGRg==', mimeType: 'audio/wav' })).toMatchObject({ kind: 'audio', src: 'data:audio/wav;base64,UklGRg==', bytes: 4 });
  });

  it('shows resource links with their metadata', () => {
    expect(describeContent({ type: 'resource_link', uri: 'fixture://hello', name: 'hello', mimeType: 'text/plain', description: 'A greeting', size: 22 })).toEqual({
      kind: 'resource-link',
      uri: 'fixture://hello',
      name: 'hello',
      title: undefined,
      description: 'A greeting',
      mimeType: 'text/plain',
      size: 22,
    });
  });

  it('shows embedded text resources, and blobs by size with a download name', () => {
    expect(describeContent({ type: 'resource', resource: { uri: 'fixture://notes/1', mimeType: 'text/markdown', text: '# Note' } })).toMatchObject({ kind: 'resource-text', text: '# Note' });
    expect(describeContent({ type: 'resource', resource: { uri: 'fixture://logo.png', mimeType: 'image/png', blob: PNG } })).toEqual({
      kind: 'resource-blob',
      uri: 'fixture://logo.png',
      mimeType: 'image/png',
      bytes: 94,
      src: `data:image/png;base64,${PNG}`,
      fileName: 'logo.png',
      isImage: true,
    });
  });

  it('shows anything else as JSON', () => {
    expect(describeContent({ type: 'tool_use', id: '1', name: 'x', input: {} })).toMatchObject({ kind: 'other', type: 'tool_use' });
    expect(describeContent({ type: 'image' })).toMatchObject({ kind: 'other', type: 'image' });
    expect(describeContent('nonsense')).toMatchObject({ kind: 'other', type: 'unknown', json: '"nonsense"' });
  });
});

describe('describeToolResult', () => {
  const outputSchema: JsonSchema = { type: 'object', properties: { total: { type: 'number' } }, required: ['total'] };

  it('checks structuredContent against the output schema', () => {
    const valid = describeToolResult({ content: [{ type: 'text', text: '{"total":3}' }], structuredContent: { total: 3 } }, outputSchema);
    expect(valid.structured).toEqual({ json: '{\n  "total": 3\n}', validity: 'valid', errors: [] });
    const invalid = describeToolResult({ content: [], structuredContent: { total: 'three' } }, outputSchema);
    expect(invalid.structured).toMatchObject({ validity: 'invalid', errors: [{ path: '/total', message: 'Must be a number' }] });
  });

  it('marks text content that only repeats the structured content', () => {
    const view = describeToolResult({ content: [{ type: 'text', text: '{"total": 3}' }, { type: 'text', text: '{"total": 4}' }], structuredContent: { total: 3 } }, outputSchema);
    expect(view.content.map((block) => block.kind === 'text' && block.mirrorsStructured === true)).toEqual([true, false]);
  });

  it('leaves structuredContent unchecked without a schema, and flags it missing when there is one', () => {
    expect(describeToolResult({ content: [], structuredContent: { a: 1 } }).structured?.validity).toBe('unchecked');
    expect(describeToolResult({ content: [{ type: 'text', text: 'x' }] }, outputSchema).structured).toMatchObject({ validity: 'invalid' });
    expect(describeToolResult({ content: [{ type: 'text', text: 'x' }] }).structured).toBeUndefined();
  });

  it('reports isError, and does not ask an error for structured content', () => {
    const view = describeToolResult({ isError: true, content: [{ type: 'text', text: 'boom' }] }, outputSchema);
    expect(view.isError).toBe(true);
    expect(view.structured).toBeUndefined();
    expect(view.content).toEqual([{ kind: 'text', text: 'boom', json: undefined }]);
  });
});

describe('resources and messages', () => {
  it('describes read contents', () => {
    expect(describeResourceContents({ uri: 'fixture://items/1', mimeType: 'application/json', text: '{"id":"1"}' })).toMatchObject({ kind: 'resource-text', json: '{\n  "id": "1"\n}' });
    expect(describeResourceContents({ uri: 'x://y/data', blob: 'AAAA' })).toMatchObject({ kind: 'resource-blob', bytes: 3, fileName: 'data', isImage: false, src: 'data:application/octet-stream;base64,AAAA' });
  });

  it('describes prompt and sampling messages, single or listed content', () => {
    expect(
      describeMessages([
        { role: 'user', content: { type: 'text', text: 'hi' } },
        { role: 'assistant', content: [{ type: 'text', text: 'a' }, { type: 'image', data: PNG, mimeType: 'image/png' }] },
      ]).map((message) => [message.role, message.content.map((content) => content.kind)]),
    ).toEqual([
      ['user', ['text']],
      ['assistant', ['text', 'image']],
    ]);
    expect(describeMessages(undefined)).toEqual([]);
  });
});

describe('helpers', () => {
  it('counts base64 bytes', () => {
    expect(base64ByteLength('')).toBe(0);
    expect(base64ByteLength('YQ==')).toBe(1);
    expect(base64ByteLength('YWI=')).toBe(2);
    expect(base64ByteLength('YWJj')).toBe(3);
    expect(base64ByteLength('YWJj\nZGVm')).toBe(6);
  });

  it('decodes base64 and data URLs', () => {
    expect([...base64ToBytes('YWJj')]).toEqual([97, 98, 99]);
    const parsed = parseDataUrl(`data:image/png;base64,${PNG}`);
    expect(parsed?.mimeType).toBe('image/png');
    expect(parsed?.bytes.length).toBe(94);
    expect(parsed?.bytes[1]).toBe(0x50);
    expect(parseDataUrl('https://example.com/x.png')).toBeUndefined();
    expect(parseDataUrl('data:text/plain;base64,%%%')).toBeUndefined();
  });

  it('formats sizes', () => {
    expect(formatBytes(94)).toBe('94 B');
    expect(formatBytes(2048)).toBe('2 KB');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(5 * 1024 * 1024)).toBe('5 MB');
  });

  it('names downloads after the URI or the MIME type', () => {
    expect(fileNameOf('file:///tmp/report final.pdf', 'application/pdf')).toBe('report_final.pdf');
    expect(fileNameOf('fixture://logo.png?v=2', 'image/png')).toBe('logo.png');
    expect(fileNameOf('blob:', 'image/svg+xml')).toBe('resource.svg');
  });

  it('strips whitespace from data URLs and recognises JSON text', () => {
    expect(dataUrl('image/png', 'AA\nAA')).toBe('data:image/png;base64,AAAA');
    expect(jsonText('[1,2]')).toBe('[\n  1,\n  2\n]');
    expect(jsonText('{not json')).toBeUndefined();
  });
});
