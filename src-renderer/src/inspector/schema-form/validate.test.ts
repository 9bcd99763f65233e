import { describe, expect, it } from 'vitest';
import type { JsonSchema } from './json-schema';
import { closestBranch, formatSchemaErrors, validateValue } from './validate';

const messages = (value: unknown, schema: JsonSchema) => validateValue(value, schema).map((error) => `${error.path}: ${error.message}`);

describe('validateValue: types and constants', () => {
  it('checks single and multiple types, integers and nullable', () => {
    expect(messages('x', { type: 'string' })).toEqual([]);
    expect(messages(1, { type: 'string' })).toEqual([': Must be a string']);
    expect(messages(1.5, { type: 'integer' })).toEqual([': Must be an integer']);
    expect(messages(null, { type: ['string', 'null'] })).toEqual([]);
    expect(messages(true, { type: ['string', 'number'] })).toEqual([': Must be a string or a number']);
    expect(messages(null, { type: 'string', nullable: true })).toEqual([]);
    expect(messages({}, { type: 'array' })).toEqual([': Must be an array']);
  });

  it('checks enum and const with deep equality', () => {
    expect(messages('b', { enum: ['a', 'b'] })).toEqual([]);
    expect(messages('c', { enum: ['a', 'b'] })).toEqual([': Must be one of: a, b']);
    expect(messages({ x: [1] }, { const: { x: [1] } })).toEqual([]);
    expect(messages('pickup', { const: 'ship' })).toEqual([': Must be ship']);
  });

  it('accepts anything for true and nothing for false', () => {
    expect(messages({ any: 'thing' }, true)).toEqual([]);
    expect(messages(1, false)).toEqual([': No value is allowed here']);
  });
});

describe('validateValue: strings and numbers', () => {
  it('checks lengths in code points, patterns and formats', () => {
    expect(messages('', { type: 'string', minLength: 1 })).toEqual([': Must not be empty']);
    expect(messages('ab', { type: 'string', minLength: 3 })).toEqual([': Must be at least 3 characters']);
    expect(messages('😀😀', { type: 'string', maxLength: 2 })).toEqual([]);
    expect(messages('abc', { type: 'string', maxLength: 2 })).toEqual([': Must be at most 2 characters']);
    expect(messages('abc', { type: 'string', pattern: '^a' })).toEqual([]);
    expect(messages('xbc', { type: 'string', pattern: '^a' })).toEqual([': Must match the pattern ^a']);
    // An invalid pattern is ignored rather than failing everything.
    expect(messages('x', { type: 'string', pattern: '(' })).toEqual([]);
  });

  it('checks the common formats and ignores unknown ones', () => {
    expect(messages('ada@example.com', { format: 'email' })).toEqual([]);
    expect(messages('ada', { format: 'email' })).toEqual([': Must be an email address']);
    expect(messages('file:///tmp/x', { format: 'uri' })).toEqual([]);
    expect(messages('not a uri', { format: 'uri' })).toEqual([': Must be a URI (scheme:…)']);
    expect(messages('2024-02-29', { format: 'date' })).toEqual([]);
    expect(messages('2023-02-29', { format: 'date' })).toHaveLength(1);
    expect(messages('2024-05-01T10:20:30Z', { format: 'date-time' })).toEqual([]);
    expect(messages('2024-05-01 10:20', { format: 'date-time' })).toHaveLength(1);
    expect(messages('10:20:30', { format: 'time' })).toEqual([]);
    expect(messages('123e4567-e89b-12d3-a456-426614174000', { format: 'uuid' })).toEqual([]);
    expect(messages('256.1.1.1', { format: 'ipv4' })).toHaveLength(1);
    expect(messages('anything', { format: 'x-custom' })).toEqual([]);
  });

  it('checks bounds in both exclusive styles and multipleOf with float tolerance', () => {
    expect(messages(0, { type: 'number', minimum: 1 })).toEqual([': Must be ≥ 1']);
    expect(messages(5, { type: 'number', maximum: 4 })).toEqual([': Must be ≤ 4']);
    expect(messages(1, { type: 'number', exclusiveMinimum: 1 })).toEqual([': Must be > 1']);
    expect(messages(4, { type: 'number', exclusiveMaximum: 4 })).toEqual([': Must be < 4']);
    expect(messages(1, { type: 'number', minimum: 1, exclusiveMinimum: true })).toEqual([': Must be > 1']);
    expect(messages(0.3, { type: 'number', multipleOf: 0.1 })).toEqual([]);
    expect(messages(7, { type: 'number', multipleOf: 2 })).toEqual([': Must be a multiple of 2']);
  });
});

describe('validateValue: objects and arrays', () => {
  const person: JsonSchema = {
    type: 'object',
    properties: { name: { type: 'string' }, age: { type: 'integer', minimum: 0 } },
    required: ['name'],
    additionalProperties: false,
  };

  it('reports missing required properties at their own path', () => {
    expect(messages({ age: 3 }, person)).toEqual(['/name: Required']);
  });

  it('reports nested errors with JSON pointers and unexpected properties', () => {
    expect(messages({ name: 'A', age: -1, extra: 1 }, person)).toEqual(['/age: Must be ≥ 0', '/extra: Unexpected property “extra”']);
  });

  it('validates additionalProperties schemas, patternProperties and property counts', () => {
    const map: JsonSchema = { type: 'object', additionalProperties: { type: 'number' }, patternProperties: { '^s_': { type: 'string' } }, maxProperties: 2 };
    expect(messages({ a: 1, s_b: 'x' }, map)).toEqual([]);
    expect(messages({ a: 'x' }, map)).toEqual(['/a: Must be a number']);
    expect(messages({ a: 1, b: 2, c: 3 }, map)).toEqual([': Must have at most 2 properties']);
    expect(messages({}, { type: 'object', minProperties: 1 })).toEqual([': Must have at least 1 properties']);
  });

  it('escapes property names in paths', () => {
    expect(messages({ 'a/b': 1 }, { properties: { 'a/b': { type: 'string' } } })).toEqual(['/a~1b: Must be a string']);
  });

  it('validates items, counts, uniqueness and contains', () => {
    const list: JsonSchema = { type: 'array', items: { type: 'string' }, minItems: 1, maxItems: 2, uniqueItems: true };
    expect(messages([], list)).toEqual([': Must have at least 1 item']);
    expect(messages(['a', 1], list)).toEqual(['/1: Must be a string']);
    expect(messages(['a', 'b', 'c'], list)).toEqual([': Must have at most 2 items']);
    expect(messages(['a', 'a'], list)).toEqual(['/1: Items must be unique: this one repeats an earlier item']);
    expect(messages([1, 2], { type: 'array', contains: { const: 3 } })).toEqual([': Must contain at least one matching item']);
  });

  it('validates tuples in both styles', () => {
    expect(messages(['a', 'b'], { prefixItems: [{ type: 'string' }], items: { type: 'number' } })).toEqual(['/1: Must be a number']);
    expect(messages(['a', 'b'], { items: [{ type: 'string' }], additionalItems: false })).toEqual(['/1: No value is allowed here']);
  });
});

describe('validateValue: refs and combinators', () => {
  const root: JsonSchema = {
    type: 'object',
    properties: { home: { $ref: '#/$defs/Address' }, tree: { $ref: '#/$defs/Node' } },
    $defs: {
      Address: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
      Node: { type: 'object', properties: { value: { type: 'number' }, children: { type: 'array', items: { $ref: '#/$defs/Node' } } } },
    },
  };

  it('follows $refs, recursive ones included', () => {
    expect(messages({ home: {} }, root)).toEqual(['/home/city: Required']);
    expect(messages({ tree: { value: 1, children: [{ value: 'x' }] } }, root)).toEqual(['/tree/children/0/value: Must be a number']);
    expect(messages(1, { $ref: '#/$defs/Missing' })).toEqual([': Schema reference #/$defs/Missing cannot be resolved']);
  });

  const delivery: JsonSchema = {
    anyOf: [
      { type: 'object', properties: { kind: { const: 'pickup' }, store: { type: 'string' } }, required: ['kind', 'store'] },
      { type: 'object', properties: { kind: { const: 'ship' }, to: { type: 'string' } }, required: ['kind', 'to'] },
    ],
  };

  it('for anyOf reports the errors of the branch the discriminator points to', () => {
    expect(messages({ kind: 'pickup', store: 'A' }, delivery)).toEqual([]);
    expect(messages({ kind: 'ship' }, delivery)).toEqual(['/to: Required']);
    expect(messages('x', delivery)).toEqual([': Must match at least one of the options']);
  });

  it('for oneOf requires exactly one match', () => {
    expect(messages(5, { oneOf: [{ type: 'integer' }, { type: 'number' }] })).toEqual([': Matches 2 of the options, but must match exactly one']);
    expect(messages(5.5, { oneOf: [{ type: 'integer' }, { type: 'number' }] })).toEqual([]);
    expect(messages('x', { oneOf: [{ type: 'integer' }, { type: 'boolean' }] })).toEqual([': Must match one of the options']);
  });

  it('checks allOf, not and if/then/else', () => {
    expect(messages(5, { allOf: [{ minimum: 1 }, { maximum: 3 }] })).toEqual([': Must be ≤ 3']);
    expect(messages('x', { not: { type: 'string' } })).toEqual([': Must not match the excluded schema']);
    const conditional: JsonSchema = { if: { properties: { kind: { const: 'a' } } }, then: { required: ['a'] }, else: { required: ['b'] } };
    expect(messages({ kind: 'a' }, conditional)).toEqual(['/a: Required']);
    expect(messages({ kind: 'z' }, conditional)).toEqual(['/b: Required']);
  });

  it('finds the closest branch by discriminator before error count', () => {
    const branches = (delivery as { anyOf: JsonSchema[] }).anyOf;
    expect(closestBranch({ kind: 'ship' }, branches, delivery).index).toBe(1);
    expect(closestBranch({ store: 'x' }, branches, delivery).index).toBe(0);
    expect(closestBranch(3, [{ type: 'string' }, { type: 'number' }], {}).index).toBe(1);
  });

  it('formats errors one per path for the SDK', () => {
    expect(formatSchemaErrors([{ path: '', message: 'Must be an object' }, { path: '/a', message: 'Required' }])).toBe('(root): Must be an object; /a: Required');
  });
});
