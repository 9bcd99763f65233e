import { describe, expect, it } from 'vitest';
import { compareJsonSchemas, type SchemaChange } from './json-schema-compare';

const brief = (changes: SchemaChange[]) => changes.map((change) => `${change.kind} /${change.path.join('/')}: ${change.summary}`);
const object = (properties: Record<string, unknown>, required: string[] = []) => ({ type: 'object', properties, required });

describe('compareJsonSchemas, input', () => {
  it('says nothing of equal schemas, key order and enum order aside', () => {
    expect(compareJsonSchemas({ type: 'object', properties: { a: { type: 'string', enum: ['x', 'y'] } } }, { properties: { a: { enum: ['y', 'x'], type: 'string' } }, type: 'object' }, 'input')).toEqual([]);
  });

  it('a type narrowed is breaking, widened additive, changed to an unrelated type breaking', () => {
    expect(brief(compareJsonSchemas(object({ n: { type: 'number' } }), object({ n: { type: 'integer' } }), 'input'))).toEqual([
      'breaking /properties/n/type: type of argument "n" narrowed: number → integer',
    ]);
    expect(brief(compareJsonSchemas(object({ n: { type: 'string' } }), object({ n: { type: ['string', 'null'] } }), 'input'))).toEqual([
      'additive /properties/n/type: type of argument "n" widened: string → string | null',
    ]);
    expect(brief(compareJsonSchemas(object({ n: { type: 'string' } }), object({ n: { type: 'boolean' } }), 'input'))).toEqual([
      'breaking /properties/n/type: type of argument "n" changed: string → boolean',
    ]);
    expect(brief(compareJsonSchemas(object({ n: {} }), object({ n: { type: 'string' } }), 'input'))).toEqual([
      'breaking /properties/n/type: type of argument "n" narrowed: any type → string',
    ]);
  });

  it('an enum added or shrunk is breaking, grown or dropped additive; const counts as an enum of one', () => {
    expect(compareJsonSchemas(object({ c: { enum: ['a', 'b'] } }), object({ c: { enum: ['a'] } }), 'input').map((change) => change.kind)).toEqual(['breaking']);
    expect(compareJsonSchemas(object({ c: { enum: ['a'] } }), object({ c: { enum: ['a', 'b'] } }), 'input').map((change) => change.kind)).toEqual(['additive']);
    expect(compareJsonSchemas(object({ c: { type: 'string' } }), object({ c: { type: 'string', enum: ['a'] } }), 'input').map((change) => change.kind)).toEqual(['breaking']);
    expect(brief(compareJsonSchemas(object({ c: { enum: ['a', 'b'] } }), object({ c: { const: 'a' } }), 'input'))).toEqual([
      'breaking /properties/c/const: allowed values of argument "c" narrowed: "a", "b" → "a"',
    ]);
    expect(compareJsonSchemas(object({ c: { enum: ['a', 'b'] } }), object({ c: { enum: ['a', 'c'] } }), 'input').map((change) => change.kind)).toEqual(['breaking']);
  });

  it('a required argument added or an argument made required is breaking; an optional one added or made optional additive; one removed breaking', () => {
    expect(brief(compareJsonSchemas(object({ a: { type: 'string' } }, ['a']), object({ a: { type: 'string' }, b: { type: 'string' } }, ['a', 'b']), 'input'))).toEqual([
      'breaking /properties/b: required argument "b" added',
    ]);
    expect(brief(compareJsonSchemas(object({ a: { type: 'string' } }), object({ a: { type: 'string' }, b: { type: 'string' } }), 'input'))).toEqual([
      'additive /properties/b: optional argument "b" added',
    ]);
    expect(brief(compareJsonSchemas(object({ a: { type: 'string' } }), object({ a: { type: 'string' } }, ['a']), 'input'))).toEqual(['breaking /required: argument "a" is now required']);
    expect(brief(compareJsonSchemas(object({ a: { type: 'string' } }, ['a']), object({ a: { type: 'string' } }), 'input'))).toEqual(['additive /required: argument "a" is now optional']);
    expect(brief(compareJsonSchemas(object({ a: { type: 'string' }, b: {} }), object({ a: { type: 'string' } }), 'input'))).toEqual(['breaking /properties/b: argument "b" removed']);
  });

  it('nested objects and array items are compared, their paths named', () => {
    const before = object({ options: object({ depth: { type: 'number' } }), tags: { type: 'array', items: { type: 'string' } } });
    const after = object({ options: object({ depth: { type: 'integer' } }, ['depth']), tags: { type: 'array', items: { type: 'string', maxLength: 10 } } });
    expect(brief(compareJsonSchemas(before, after, 'input'))).toEqual([
      'breaking /properties/options/properties/depth/type: type of argument "options.depth" narrowed: number → integer',
      'breaking /properties/options/required: argument "options.depth" is now required',
      'breaking /properties/tags/items/maxLength: maxLength of argument "tags[]" added (tighter): none → 10',
    ]);
  });

  it('bounds tightened are breaking, loosened additive; additionalProperties turned off breaking; a default changed breaking', () => {
    expect(compareJsonSchemas(object({ n: { minimum: 0 } }), object({ n: { minimum: 1 } }), 'input')[0]!.kind).toBe('breaking');
    expect(compareJsonSchemas(object({ n: { maximum: 5 } }), object({ n: { maximum: 10 } }), 'input')[0]!.kind).toBe('additive');
    expect(compareJsonSchemas(object({ n: { maximum: 5 } }), object({ n: {} }), 'input')[0]!.kind).toBe('additive');
    expect(brief(compareJsonSchemas({ type: 'object' }, { type: 'object', additionalProperties: false }, 'input'))).toEqual([
      'breaking /additionalProperties: additionalProperties of the input schema turned off',
    ]);
    expect(compareJsonSchemas(object({ n: { default: 1 } }), object({ n: { default: 2 } }), 'input')[0]!.kind).toBe('breaking');
  });

  it('descriptions are cosmetic; a composite keyword changed is breaking, saying it was not compared in detail', () => {
    expect(brief(compareJsonSchemas(object({ a: { type: 'string', description: 'old' } }), object({ a: { type: 'string', description: 'new' } }), 'input'))).toEqual([
      'cosmetic /properties/a/description: description of argument "a" changed',
    ]);
    const [change] = compareJsonSchemas(object({ a: { anyOf: [{ type: 'string' }] } }), object({ a: { anyOf: [{ type: 'number' }] } }), 'input');
    expect(change).toMatchObject({ kind: 'breaking', path: ['properties', 'a', 'anyOf'] });
    expect(change!.summary).toContain('not compared in detail');
  });
});

describe('compareJsonSchemas, output', () => {
  it('a property removed or no longer required is breaking; one added or newly required additive', () => {
    const before = object({ total: { type: 'number' }, note: { type: 'string' } }, ['total', 'note']);
    expect(brief(compareJsonSchemas(before, object({ total: { type: 'number' }, note: { type: 'string' } }, ['total']), 'output'))).toEqual([
      'breaking /required: output property "note" is no longer always present (no longer required)',
    ]);
    expect(brief(compareJsonSchemas(before, object({ total: { type: 'number' } }, ['total']), 'output'))).toEqual(['breaking /properties/note: output property "note" removed']);
    expect(brief(compareJsonSchemas(before, object({ total: { type: 'number' }, note: { type: 'string' }, extra: {} }, ['total', 'note', 'extra']), 'output'))).toEqual([
      'additive /properties/extra: output property "extra" added',
    ]);
  });

  it('the direction flips for values: a type widened or an enum grown is breaking, narrowed additive', () => {
    expect(brief(compareJsonSchemas(object({ n: { type: 'integer' } }), object({ n: { type: 'number' } }), 'output'))).toEqual([
      'breaking /properties/n/type: type of output property "n" widened: integer → number',
    ]);
    expect(compareJsonSchemas(object({ n: { type: 'number' } }), object({ n: { type: 'integer' } }), 'output')[0]!.kind).toBe('additive');
    expect(compareJsonSchemas(object({ s: { enum: ['a'] } }), object({ s: { enum: ['a', 'b'] } }), 'output')[0]!.kind).toBe('breaking');
    expect(compareJsonSchemas({ type: 'object', additionalProperties: false }, { type: 'object' }, 'output')[0]!.kind).toBe('additive');
  });
});

describe('compareJsonSchemas, integers', () => {
  it('the safe-integer bounds zod writes for .int() are no bound: number → integer is one type change', () => {
    const integer = { type: 'integer', minimum: -9007199254740991, maximum: 9007199254740991 };
    expect(brief(compareJsonSchemas(object({ n: { type: 'number' } }), object({ n: integer }), 'input'))).toEqual([
      'breaking /properties/n/type: type of argument "n" narrowed: number → integer',
    ]);
  });
});
