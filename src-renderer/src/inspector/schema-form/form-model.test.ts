import { describe, expect, it } from 'vitest';
import {
  describeConstraints,
  describeField,
  inferVariant,
  initialValue,
  optionIndex,
  parseJsonInput,
  parseNumberInput,
  switchVariant,
  toggleOption,
  withAddedItem,
  withItem,
  withMovedItem,
  withoutItem,
  withProperty,
  type FieldModel,
} from './form-model';
import type { JsonSchema } from './json-schema';
import { ORDER_SCHEMA } from './order-schema.fixture';

function field<K extends FieldModel['kind']>(schema: JsonSchema, kind: K, root: JsonSchema = schema): Extract<FieldModel, { kind: K }> {
  const model = describeField(schema, root);
  expect(model.kind).toBe(kind);
  return model as Extract<FieldModel, { kind: K }>;
}

describe('describeField: scalars', () => {
  it('makes strings with their constraints, a textarea for long ones', () => {
    const model = field({ type: 'string', format: 'email', minLength: 3, title: 'Email', description: 'Where to write' }, 'string');
    expect(model).toMatchObject({ format: 'email', minLength: 3, title: 'Email', description: 'Where to write', multiline: false });
    expect(field({ type: 'string', maxLength: 5000 }, 'string').multiline).toBe(true);
  });

  it('makes numbers and integers with bounds and steps', () => {
    expect(field({ type: 'integer', minimum: 1, maximum: 9 }, 'number')).toMatchObject({ integer: true, minimum: 1, maximum: 9, step: 1 });
    expect(field({ type: 'number', exclusiveMinimum: 0, multipleOf: 0.5 }, 'number')).toMatchObject({ integer: false, minimum: 0, step: 0.5 });
  });

  it('makes checkboxes, nulls and constants', () => {
    field({ type: 'boolean' }, 'boolean');
    field({ type: 'null' }, 'null');
    expect(field({ const: 'ship' }, 'const').value).toBe('ship');
  });

  it('keeps defaults and descriptions', () => {
    expect(describeField({ type: 'string', default: 'normal', description: 'How fast' }, {})).toMatchObject({ defaultValue: 'normal', description: 'How fast' });
  });

  it('marks deprecated fields', () => {
    expect(describeField({ type: 'string', deprecated: true }, {}).deprecated).toBe(true);
  });
});

describe('describeField: enums', () => {
  it('makes a select from enum, with enumNames as labels', () => {
    expect(field({ type: 'string', enum: ['low', 'high'] }, 'enum').options).toEqual([
      { label: 'low', value: 'low' },
      { label: 'high', value: 'high' },
    ]);
    expect(field({ enum: ['a', 'b'], enumNames: ['Alpha', 'Beta'] }, 'enum').options.map((option) => option.label)).toEqual(['Alpha', 'Beta']);
    expect(field({ enum: [1, null, { x: 1 }] }, 'enum').options.map((option) => option.label)).toEqual(['1', 'null', '{"x":1}']);
  });

  it('makes a select from a oneOf of titled constants (elicitation style)', () => {
    const model = field({ type: 'string', oneOf: [{ const: '#f00', title: 'Red' }, { const: '#0f0', title: 'Green' }] }, 'enum');
    expect(model.options).toEqual([
      { label: 'Red', value: '#f00' },
      { label: 'Green', value: '#0f0' },
    ]);
  });

  it('makes a checkbox group from an array of enum items', () => {
    expect(field({ type: 'array', items: { type: 'string', enum: ['a', 'b', 'c'] }, uniqueItems: true }, 'multi-enum').options).toHaveLength(3);
    expect(field({ type: 'array', items: { anyOf: [{ const: 'x', title: 'X' }, { const: 'y', title: 'Y' }] } }, 'multi-enum').options.map((option) => option.label)).toEqual(['X', 'Y']);
  });
});

describe('describeField: objects, arrays, refs', () => {
  it('lists properties with required flags, following $ref into definitions', () => {
    const customer = describeField((ORDER_SCHEMA as { properties: Record<string, JsonSchema> }).properties.customer, ORDER_SCHEMA);
    expect(customer.kind).toBe('object');
    if (customer.kind !== 'object') return;
    expect(customer.properties.map((property) => [property.name, property.required])).toEqual([
      ['name', true],
      ['email', false],
      ['address', true],
    ]);
    const address = describeField(customer.properties[2]!.schema, ORDER_SCHEMA);
    expect(address).toMatchObject({ kind: 'object', description: 'A postal address' });
  });

  it('adds fields for names only listed in required', () => {
    expect(field({ type: 'object', required: ['token'] }, 'object').properties).toEqual([{ name: 'token', required: true, schema: {} }]);
  });

  it('infers objects and arrays without a type keyword', () => {
    field({ properties: { a: { type: 'string' } } }, 'object');
    field({ items: { type: 'string' } }, 'array');
  });

  it('merges allOf members into one object', () => {
    const model = field({ allOf: [{ properties: { a: { type: 'string' } }, required: ['a'] }, { properties: { b: { type: 'number' } } }] }, 'object');
    expect(model.properties.map((property) => `${property.name}${property.required ? '*' : ''}`)).toEqual(['a*', 'b']);
  });

  it('falls back to raw JSON for free-form maps, tuples and untyped values', () => {
    expect(field({ type: 'object', additionalProperties: { type: 'string' } }, 'json').reason).toMatch(/free-form/);
    expect(field({ type: 'array', prefixItems: [{ type: 'string' }] }, 'json').reason).toMatch(/tuple/);
    expect(field({}, 'json').reason).toBe('Any JSON value');
    field(false, 'json');
  });

  it('keeps objects with properties open when additionalProperties allows more', () => {
    expect(field({ type: 'object', properties: { a: { type: 'string' } }, additionalProperties: true }, 'object').open).toBe(true);
    expect(field({ type: 'object', properties: { a: { type: 'string' } } }, 'object').open).toBe(false);
  });

  it('makes arrays with their item schema and counts', () => {
    const items = (ORDER_SCHEMA as { properties: Record<string, JsonSchema> }).properties.items;
    expect(describeField(items, ORDER_SCHEMA)).toMatchObject({ kind: 'array', minItems: 1, description: 'What to order' });
  });

  it('survives recursive schemas', () => {
    const tree: JsonSchema = { $ref: '#/$defs/Node', $defs: { Node: { type: 'object', properties: { children: { type: 'array', items: { $ref: '#/$defs/Node' } } }, required: ['children'] } } };
    expect(describeField(tree, tree).kind).toBe('object');
    expect(initialValue(tree, tree)).toEqual({ children: [] });
  });
});

describe('describeField: anyOf, oneOf and nullable', () => {
  it('makes a variant picker labelled by discriminator constants', () => {
    const delivery = (ORDER_SCHEMA as { properties: Record<string, JsonSchema> }).properties.delivery;
    const model = describeField(delivery, ORDER_SCHEMA);
    expect(model.kind).toBe('variant');
    if (model.kind === 'variant') expect(model.variants.map((variant) => variant.label)).toEqual(['pickup', 'ship']);
  });

  it('labels variants by title, type, or position, and keeps labels unique', () => {
    const model = field({ oneOf: [{ title: 'By id', type: 'integer' }, { type: 'string' }, { type: 'object', properties: {} }, { type: 'object', properties: {} }, {}] }, 'variant');
    expect(model.variants.map((variant) => variant.label)).toEqual(['By id', 'string', 'object (1)', 'object (2)', 'Option 5']);
  });

  it('makes a variant per type for multi-type schemas', () => {
    const model = field({ type: ['string', 'number'], description: 'An id' }, 'variant');
    expect(model.keyword).toBe('type');
    expect(model.variants.map((variant) => variant.label)).toEqual(['string', 'number']);
  });

  it('treats T | null as a nullable T, keeping the outer annotations', () => {
    expect(describeField({ anyOf: [{ type: 'string' }, { type: 'null' }], default: null, title: 'Nickname' }, {})).toMatchObject({ kind: 'string', nullable: true, title: 'Nickname', defaultValue: null });
    expect(describeField({ type: ['integer', 'null'] }, {})).toMatchObject({ kind: 'number', integer: true, nullable: true });
  });

  it('infers the variant of a value: discriminator first, then type, then fit', () => {
    const model = field({ anyOf: [{ properties: { kind: { const: 'a' }, x: { type: 'string' } } }, { properties: { kind: { const: 'b' }, x: { type: 'string' } } }] }, 'variant');
    expect(inferVariant(model.variants, { kind: 'b' }, {})).toBe(1);
    expect(inferVariant(model.variants, undefined, {})).toBe(0);
    const scalars = field({ anyOf: [{ type: 'string' }, { type: 'number' }, { type: 'array', items: { type: 'string' } }] }, 'variant');
    expect(inferVariant(scalars.variants, 42, {})).toBe(1);
    expect(inferVariant(scalars.variants, ['x'], {})).toBe(2);
  });
});

describe('initialValue', () => {
  it('fills required objects, defaults and minItems items, and leaves optional fields unset', () => {
    expect(initialValue(ORDER_SCHEMA, ORDER_SCHEMA)).toEqual({
      customer: { address: {} },
      items: [{ quantity: 1 }],
      priority: 'normal',
      delivery: { kind: 'pickup' },
    });
  });

  it('uses defaults over everything and copies them', () => {
    const schema: JsonSchema = { type: 'object', default: { tags: ['a'] } };
    const first = initialValue(schema, schema) as { tags: string[] };
    first.tags.push('b');
    expect(initialValue(schema, schema)).toEqual({ tags: ['a'] });
  });

  it('starts required checkboxes unchecked, optional ones unset, and single-option enums chosen', () => {
    expect(initialValue({ type: 'boolean' }, {}, true)).toBe(false);
    expect(initialValue({ type: 'boolean' }, {}, false)).toBeUndefined();
    expect(initialValue({ enum: ['only'] }, {}, true)).toBe('only');
    expect(initialValue({ enum: ['a', 'b'] }, {}, true)).toBeUndefined();
    expect(initialValue({ type: 'null' }, {}, true)).toBeNull();
    expect(initialValue({ type: 'array', items: { enum: ['a'] } }, {}, true)).toEqual([]);
  });
});

describe('switchVariant', () => {
  const root = ORDER_SCHEMA;
  const [pickup, ship] = ((ORDER_SCHEMA as { properties: Record<string, { anyOf: JsonSchema[] }> }).properties.delivery!.anyOf) as [JsonSchema, JsonSchema];

  it('starts the new variant with its constant and required parts', () => {
    expect(switchVariant({ kind: 'pickup', store: 'Main' }, ship, root)).toEqual({ kind: 'ship', to: {} });
  });

  it('keeps properties both variants have, but not the discriminator', () => {
    const a: JsonSchema = { properties: { kind: { const: 'a' }, note: { type: 'string' } } };
    const b: JsonSchema = { properties: { kind: { const: 'b' }, note: { type: 'string' } } };
    expect(switchVariant({ kind: 'a', note: 'keep me' }, b, {})).toEqual({ kind: 'b', note: 'keep me' });
    expect(switchVariant({ kind: 'b', note: 'x' }, a, {})).toEqual({ kind: 'a', note: 'x' });
    expect(switchVariant({ kind: 'ship', to: {} }, pickup, root)).toEqual({ kind: 'pickup' });
  });

  it('replaces scalars outright', () => {
    expect(switchVariant('text', { type: 'number' }, {})).toBeUndefined();
    expect(switchVariant(3, { type: 'array' }, {})).toEqual([]);
  });
});

describe('value helpers', () => {
  it('sets and removes object properties without touching the original', () => {
    const original = { a: 1 };
    expect(withProperty(original, 'b', 2)).toEqual({ a: 1, b: 2 });
    expect(withProperty(original, 'a', undefined)).toEqual({});
    expect(withProperty(undefined, 'a', 1)).toEqual({ a: 1 });
    expect(original).toEqual({ a: 1 });
  });

  it('adds, replaces, removes and moves array items', () => {
    const itemSchema: JsonSchema = { type: 'object', properties: { sku: { type: 'string' }, quantity: { type: 'integer', default: 1 } }, required: ['sku'] };
    expect(withAddedItem(undefined, itemSchema, itemSchema)).toEqual([{ quantity: 1 }]);
    expect(withAddedItem(['a'], { type: 'string' }, {})).toEqual(['a', null]);
    expect(withItem(['a', 'b'], 1, 'c')).toEqual(['a', 'c']);
    expect(withoutItem(['a', 'b', 'c'], 1)).toEqual(['a', 'c']);
    expect(withMovedItem(['a', 'b', 'c'], 2, -1)).toEqual(['a', 'c', 'b']);
    expect(withMovedItem(['a', 'b'], 0, -1)).toEqual(['a', 'b']);
  });

  it('toggles checkbox-group options in option order', () => {
    const options = [
      { label: 'a', value: 'a' },
      { label: 'b', value: 'b' },
      { label: 'c', value: 'c' },
    ];
    expect(toggleOption(['c'], options, options[0]!, true)).toEqual(['a', 'c']);
    expect(toggleOption(['a', 'c'], options, options[2]!, false)).toEqual(['a']);
    expect(toggleOption(undefined, options, options[1]!, true)).toEqual(['b']);
  });

  it('finds select options by value, objects included', () => {
    const options = [
      { label: '1', value: 1 },
      { label: 'obj', value: { x: 1 } },
    ];
    expect(optionIndex(options, { x: 1 })).toBe(1);
    expect(optionIndex(options, 2)).toBe(-1);
    expect(optionIndex(options, undefined)).toBe(-1);
  });

  it('parses number inputs, keeping bad text for validation to report', () => {
    expect(parseNumberInput('')).toBeUndefined();
    expect(parseNumberInput(' 42 ')).toBe(42);
    expect(parseNumberInput('-1.5e3')).toBe(-1500);
    expect(parseNumberInput('12abc')).toBe('12abc');
    expect(parseNumberInput('0x10')).toBe('0x10');
  });

  it('parses raw JSON inputs, taking non-JSON as a string', () => {
    expect(parseJsonInput('{"a":1}')).toEqual({ value: { a: 1 }, isJson: true });
    expect(parseJsonInput('  ')).toEqual({ value: undefined, isJson: true });
    expect(parseJsonInput('hello')).toEqual({ value: 'hello', isJson: false });
  });
});

describe('describeConstraints', () => {
  it('sums up a field in a few words', () => {
    const hint = (schema: JsonSchema) => describeConstraints(describeField(schema, schema));
    expect(hint({ type: 'integer', minimum: 1, maximum: 9007199254740991, default: 1 })).toBe('integer, ≥ 1, default 1');
    expect(hint({ type: 'number', multipleOf: 0.5 })).toBe('number, multiple of 0.5');
    expect(hint({ type: 'string', format: 'email', minLength: 1 })).toBe('email, at least 1 character');
    expect(hint({ type: 'string', format: 'email', pattern: '^[^@]+@[^@]+$' })).toBe('email');
    expect(hint({ type: 'string', minLength: 2, maxLength: 5, pattern: '^a' })).toBe('2–5 characters, pattern ^a');
    expect(hint({ type: 'array', items: { type: 'string' }, minItems: 1 })).toBe('at least 1 item');
    expect(hint({ type: ['string', 'null'] })).toBe('or null');
    expect(hint({ type: 'string', enum: ['a', 'b'], default: 'a' })).toBe('default a');
    expect(hint({ type: 'boolean' })).toBeUndefined();
  });
});
