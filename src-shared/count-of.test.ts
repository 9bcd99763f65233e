import { describe, expect, it } from 'vitest';
import { countOf } from './count-of';

describe('countOf', () => {
  it('says one in the singular and any other count in the plural', () => {
    expect(countOf(1, 'resource')).toBe('1 resource');
    expect(countOf(0, 'prompt')).toBe('0 prompts');
    expect(countOf(4, 'tool')).toBe('4 tools');
  });
});
