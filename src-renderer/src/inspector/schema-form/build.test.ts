import { describe, expect, it } from 'vitest';
import { buildFromDraft, compactValue, describePath, errorsByPath } from './build';
import { ORDER_SCHEMA } from './order-schema.fixture';
import { initialValue } from './form-model';
import type { JsonSchema } from './json-schema';

describe('compactValue', () => {
  const schema: JsonSchema = {
    type: 'object',
    properties: {
      name: { type: 'string' },
      note: { type: 'string' },
      nick: { anyOf: [{ type: 'string' }, { type: 'null' }], default: null },
      tags: { type: 'array', items: { type: 'string' } },
      options: { type: 'object', properties: { verbose: { type: 'boolean' } } },
      list: { type: 'array', items: { type: 'number' } },
    },
    required: ['name', 'list'],
  };

  it('drops unset and empty optional values, and empty required strings', () => {
    expect(compactValue({ name: '', note: '', nick: null, tags: [], options: {}, list: [] }, schema, schema)).toEqual({ list: [] });
  });

  it('keeps filled values, unknown keys, and array items (unset ones as null)', () => {
    expect(compactValue({ name: 'a', tags: ['', 'x'], list: [1, undefined], extra: { any: 1 } }, schema, schema)).toEqual({
      name: 'a',
      tags: ['', 'x'],
      list: [1, null],
      extra: { any: 1 },
    });
  });

  it('compacts inside the chosen variant', () => {
    const delivery: JsonSchema = {
      anyOf: [
        { type: 'object', properties: { kind: { const: 'a' }, note: { type: 'string' } } },
        { type: 'object', properties: { kind: { const: 'b' }, where: { type: 'string' } }, required: ['where'] },
      ],
    };
    expect(compactValue({ kind: 'b', where: '' }, delivery, delivery)).toEqual({ kind: 'b' });
    expect(compactValue({ kind: 'a', note: '' }, delivery, delivery)).toEqual({ kind: 'a' });
  });
});

describe('buildFromDraft', () => {
  it('turns the starting draft of the order form into arguments with "Required" errors on the right fields', () => {
    const { value, errors } = buildFromDraft(initialValue(ORDER_SCHEMA, ORDER_SCHEMA), ORDER_SCHEMA);
    expect(value).toEqual({ customer: { address: {} }, items: [{ quantity: 1 }], priority: 'normal', delivery: { kind: 'pickup' } });
    expect(errors.map((error) => `${error.path}: ${error.message}`)).toEqual([
      '/customer/name: Required',
      '/customer/address/street: Required',
      '/customer/address/city: Required',
      '/items/0/sku: Required',
      '/delivery/store: Required',
    ]);
  });

  it('passes a complete order with nested objects, arrays, an enum and the ship variant', () => {
    const draft = {
      customer: { name: 'Ada', email: '', address: { street: '1 Loop', city: 'London', zip: '' } },
      items: [
        { sku: 'A-1', quantity: 2 },
        { sku: 'B-2', quantity: 1 },
      ],
      priority: 'high',
      delivery: { kind: 'ship', to: { street: '2 Way', city: 'Paris' } },
      gift: true,
    };
    const { value, errors } = buildFromDraft(draft, ORDER_SCHEMA);
    expect(errors).toEqual([]);
    expect(value).toEqual({ ...draft, customer: { name: 'Ada', address: { street: '1 Loop', city: 'London' } } });
  });

  it('reports bad numbers kept as text, and enum and minItems violations', () => {
    const { errors } = buildFromDraft({ customer: { name: 'A', address: { street: 's', city: 'c' } }, items: [], priority: 'urgent', delivery: { kind: 'pickup', store: 'x' } }, ORDER_SCHEMA);
    expect(errors.map((error) => `${error.path}: ${error.message}`)).toEqual(['/items: Must have at least 1 item', '/priority: Must be one of: low, normal, high']);
    const quantity = buildFromDraft({ customer: { name: 'A', address: { street: 's', city: 'c' } }, items: [{ sku: 'x', quantity: '2x' }], delivery: { kind: 'pickup', store: 'x' } }, ORDER_SCHEMA);
    expect(quantity.errors).toEqual([{ path: '/items/0/quantity', message: 'Must be an integer' }]);
  });

  it('sends {} when nothing was filled in', () => {
    expect(buildFromDraft(undefined, { type: 'object', properties: {} })).toEqual({ value: {}, errors: [] });
  });
});

describe('error placement', () => {
  it('groups errors by path and names paths for people', () => {
    const grouped = errorsByPath([
      { path: '/a', message: 'Required' },
      { path: '/a', message: 'Must be a string' },
      { path: '', message: 'x' },
    ]);
    expect(grouped.get('/a')).toEqual(['Required', 'Must be a string']);
    expect(describePath('/customer/address/city')).toBe('customer › address › city');
    expect(describePath('/items/0/sku')).toBe('items › #1 › sku');
    expect(describePath('/a~1b')).toBe('a/b');
    expect(describePath('')).toBe('arguments');
  });
});
