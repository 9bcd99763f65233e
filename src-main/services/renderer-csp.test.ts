import { describe, expect, it } from 'vitest';
import { rendererCsp } from './renderer-csp';

// What the Resources view's inline previews rely on, and the limits they must not widen.
describe('rendererCsp: previews of binary content', () => {
  const directives = new Map(
    rendererCsp(4242)
      .split('; ')
      .map((directive) => {
        const [name, ...sources] = directive.split(' ');
        return [name!, sources];
      }),
  );

  it('lets images, audio and video load from data: and blob: URLs, and from nowhere remote', () => {
    expect(directives.get('img-src')).toEqual(["'self'", 'data:', 'blob:']);
    expect(directives.get('media-src')).toEqual(["'self'", 'data:', 'blob:']);
  });

  it('starts workers only from the app itself (pdf.js), and never from blob: or data: URLs or evaluated code', () => {
    expect(directives.get('worker-src')).toEqual(["'self'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
  });

  it('runs no plugins (the PDF viewer is one) and frames nothing without an MCP Apps sandbox', () => {
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('frame-src')).toEqual(["'none'"]);
    expect(directives.has('child-src')).toBe(false);
    expect(directives.get('default-src')).toEqual(["'self'"]);
  });
});

describe('rendererCsp: MCP Apps', () => {
  it("frames only the sandbox host's origin, never the page's own", () => {
    const frameSrc = rendererCsp(4242, 'http://127.0.0.1:5151')
      .split('; ')
      .find((directive) => directive.startsWith('frame-src '));
    expect(frameSrc).toBe('frame-src http://127.0.0.1:5151');
  });
});
