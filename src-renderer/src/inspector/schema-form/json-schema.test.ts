import { describe, expect, it } from 'vitest';
import { asSchemaObject, cloneJson, deepEqual, deref, flattenAllOf, hasJsonType, resolveRef, type JsonSchema } from './json-schema';

describe('resolveRef', () => {
  const root: JsonSchema = {
    $defs: { Address: { type: 'object', properties: { city: { type: 'string' } } }, 'a/b': { type: 'number' }, 'x y': { type: 'boolean' } },
    definitions: { Legacy: { type: 'string' } },
    properties: { list: { type: 'array', items: [{ type: 'string' }, { type: 'integer' }] } },
  };

  it('finds $defs, definitions and any JSON pointer, with ~ and percent escapes', () => {
    expect(resolveRef('#/$defs/Address', root)).toMatchObject({ type: 'object' });
    expect(resolveRef('#/definitions/Legacy', root)).toEqual({ type: 'string' });
    expect(resolveRef('#/$defs/a~1b', root)).toEqual({ type: 'number' });
    expect(resolveRef('#/$defs/x%20y', root)).toEqual({ type: 'boolean' });
    expect(resolveRef('#/properties/list/items/1', root)).toEqual({ type: 'integer' });
    expect(resolveRef('#', root)).toBe(root);
  });

  it('gives undefined for remote, missing or malformed refs', () => {
    expect(resolveRef('https://example.com/schema.json', root)).toBeUndefined();
    expect(resolveRef('#/$defs/Missing', root)).toBeUndefined();
    expect(resolveRef('#Address', root)).toBeUndefined();
    expect(resolveRef('#/$defs/%E0%A4%A', root)).toBeUndefined();
  });
});

describe('deref', () => {
  it('follows ref chains and lets sibling keywords win', () => {
    const root: JsonSchema = { $defs: { A: { $ref: '#/$defs/B', description: 'from A' }, B: { type: 'string', description: 'from B', minLength: 2 } } };
    expect(deref({ $ref: '#/$defs/A', title: 'Name' }, root)).toEqual({ type: 'string', description: 'from A', minLength: 2, title: 'Name' });
  });

  it('turns unresolvable and cyclic refs into "anything" so a form still renders', () => {
    expect(deref({ $ref: '#/$defs/Nope', description: 'kept' }, {})).toEqual({ description: 'kept' });
    const cyclic: JsonSchema = { $defs: { A: { $ref: '#/$defs/B' }, B: { $ref: '#/$defs/A' } } };
    expect(deref({ $ref: '#/$defs/A' }, cyclic)).toEqual({});
  });

  it('treats boolean and missing schemas as objects', () => {
    expect(asSchemaObject(true)).toEqual({});
    expect(asSchemaObject(undefined)).toEqual({});
    expect(asSchemaObject(false)).toEqual({ not: {} });
  });
});

describe('flattenAllOf', () => {
  it('merges properties and required lists of every member, refs included', () => {
    const root: JsonSchema = { $defs: { Named: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] } } };
    const merged = flattenAllOf({ allOf: [{ $ref: '#/$defs/Named' }, { properties: { age: { type: 'integer' } }, required: ['age', 'name'] }], description: 'A person' }, root);
    expect(merged).toEqual({
      type: 'object',
      properties: { name: { type: 'string' }, age: { type: 'integer' } },
      required: ['name', 'age'],
      description: 'A person',
    });
  });
});

describe('JSON values', () => {
  it('compares structurally, ignoring key order', () => {
    expect(deepEqual({ a: [1, { b: 2 }], c: null }, { c: null, a: [1, { b: 2 }] })).toBe(true);
    expect(deepEqual({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    expect(deepEqual([1, 2], [2, 1])).toBe(false);
    expect(deepEqual(1, '1')).toBe(false);
  });

  it('knows integers from numbers', () => {
    expect(hasJsonType(3, 'integer')).toBe(true);
    expect(hasJsonType(3.5, 'integer')).toBe(false);
    expect(hasJsonType(Number.NaN, 'number')).toBe(false);
    expect(hasJsonType([], 'object')).toBe(false);
    expect(hasJsonType(null, 'null')).toBe(true);
  });

  it('copies deeply', () => {
    const original = { list: [{ a: 1 }] };
    const copy = cloneJson(original);
    copy.list[0]!.a = 2;
    expect(original.list[0]!.a).toBe(1);
  });
});
