import { describe, expect, it } from 'vitest';
import { InterpretingSchemaValidator } from './schema-validator';

describe('InterpretingSchemaValidator', () => {
  const validate = new InterpretingSchemaValidator().getValidator<{ total: number }>({
    type: 'object',
    properties: { total: { type: 'number' } },
    required: ['total'],
  });

  it('passes valid data through', () => {
    expect(validate({ total: 3 })).toEqual({ valid: true, data: { total: 3 }, errorMessage: undefined });
  });

  it('names every problem with its path', () => {
    expect(validate({ total: 'x', extra: 1 })).toEqual({ valid: false, data: undefined, errorMessage: '/total: Must be a number' });
    expect(validate({})).toEqual({ valid: false, data: undefined, errorMessage: '/total: Required' });
  });
});
