import { describe, expect, it } from 'vitest';
import { describeDifference, parseIgnorePath, pathIsIgnored, parseRecording, summarizeRecording, toJsonPointer, type RecordedMessage, type Recording } from './recording';

const message = (sessionId: string, era: 'legacy' | 'modern', extra: Partial<RecordedMessage>): RecordedMessage => ({
  at: 1, sessionId, server: 'shop', era, direction: 'client-to-server', kind: 'request', size: 10, body: {}, ...extra,
});

describe('ignore paths', () => {
  it('reads JSON pointers and simple paths alike, with * for any key or index', () => {
    expect(parseIgnorePath('/result/content/0/text')).toEqual(['result', 'content', '0', 'text']);
    expect(parseIgnorePath('/result/a~1b/c~0d')).toEqual(['result', 'a/b', 'c~d']);
    expect(parseIgnorePath('result.content[0].text')).toEqual(['result', 'content', '0', 'text']);
    expect(parseIgnorePath('result.content[*].text')).toEqual(['result', 'content', '*', 'text']);
    expect(() => parseIgnorePath('result..text')).toThrow('"result..text" is not a path');
    expect(() => parseIgnorePath('  ')).toThrow('an ignore path is empty');
  });

  it('covers the path itself and everything below it', () => {
    const ignore = [parseIgnorePath('result.content[*].text')];
    expect(pathIsIgnored(['result', 'content', 3, 'text'], ignore)).toBe(true);
    expect(pathIsIgnored(['result', 'content', 3, 'text', 'deep'], ignore)).toBe(true);
    expect(pathIsIgnored(['result', 'content', 3, 'type'], ignore)).toBe(false);
    expect(pathIsIgnored(['result'], ignore)).toBe(false);
  });

  it('names differences as JSON pointers with the values', () => {
    expect(toJsonPointer(['result', 'a/b', 0])).toBe('/result/a~1b/0');
    expect(describeDifference({ path: '/result/x', kind: 'changed', recorded: 'a', replayed: 'b' })).toBe('/result/x: "a" → "b"');
    expect(describeDifference({ path: '/result/y', kind: 'added', replayed: 1 })).toBe('/result/y: added 1');
    expect(describeDifference({ path: '/result/z', kind: 'removed', recorded: [1] })).toBe('/result/z: removed (was [1])');
  });
});

describe('recordings', () => {
  const recording: Recording = {
    format: 'mcp-patchbay-recording', version: 1, id: 'r-1', name: 'shop', scope: { kind: 'all' }, startedAt: 1, endedAt: 2, servers: [], ignore: [],
    messages: [
      // A client in Auto probing a legacy server: the refused server/discover is no sign of the modern era.
      message('modern:shop', 'modern', { method: 'server/discover' }),
      message('modern:shop', 'modern', { direction: 'server-to-client', kind: 'response', isError: true }),
      message('s-1', 'legacy', { method: 'initialize' }),
    ],
  };

  it('summarize the era a session spoke, not a refused probe', () => {
    expect(summarizeRecording(recording)).toMatchObject({ servers: ['shop'], eras: ['legacy'], messages: 3 });
  });

  it('are refused with the field that is wrong', () => {
    expect(parseRecording(JSON.stringify(recording), 'a.json')).toEqual(recording);
    expect(() => parseRecording(JSON.stringify({ ...recording, messages: [{ at: 'soon' }] }), 'b.json')).toThrow(/^b\.json is not a readable recording: messages\[0\]\.at: /);
    expect(() => parseRecording('[', 'c.json')).toThrow(/^c\.json is not valid JSON/);
  });
});
