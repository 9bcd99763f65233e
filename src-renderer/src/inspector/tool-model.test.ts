import { describe, expect, it } from 'vitest';
import { annotationTags, toolDisplayName } from './tool-model';

describe('annotationTags', () => {
  it('shows only the hints the server states', () => {
    expect(annotationTags(undefined)).toEqual([]);
    expect(annotationTags({})).toEqual([]);
    expect(annotationTags({ readOnlyHint: true, idempotentHint: true, openWorldHint: false }).map((tag) => tag.label)).toEqual(['read-only', 'idempotent', 'closed world']);
    expect(annotationTags({ destructiveHint: true, openWorldHint: true }).map((tag) => [tag.label, tag.tone])).toEqual([
      ['destructive', 'danger'],
      ['open world', 'neutral'],
    ]);
  });

  it('leaves destructive hints out for read-only tools', () => {
    expect(annotationTags({ readOnlyHint: true, destructiveHint: true }).map((tag) => tag.label)).toEqual(['read-only']);
    expect(annotationTags({ destructiveHint: false }).map((tag) => tag.label)).toEqual(['non-destructive']);
  });
});

describe('toolDisplayName', () => {
  it('prefers the title, then the annotations title, then the name', () => {
    expect(toolDisplayName({ name: 'order', title: 'Place an order' })).toBe('Place an order');
    expect(toolDisplayName({ name: 'order', annotations: { title: 'Order' } })).toBe('Order');
    expect(toolDisplayName({ name: 'order' })).toBe('order');
  });
});
