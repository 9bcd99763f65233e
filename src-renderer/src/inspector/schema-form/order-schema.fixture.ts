import type { JsonSchema } from './json-schema';

/** The order tool's input schema as zod 4 emits it (draft-07, a shared definition, a union, an enum, an array). */
export const ORDER_SCHEMA: JsonSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  properties: {
    customer: {
      type: 'object',
      properties: { name: { type: 'string', description: 'Full name' }, email: { type: 'string', format: 'email' }, address: { $ref: '#/definitions/Address' } },
      required: ['name', 'address'],
    },
    items: {
      minItems: 1,
      type: 'array',
      description: 'What to order',
      items: { type: 'object', properties: { sku: { type: 'string' }, quantity: { default: 1, type: 'integer', minimum: 1 } }, required: ['sku'] },
    },
    priority: { default: 'normal', type: 'string', enum: ['low', 'normal', 'high'] },
    delivery: {
      anyOf: [
        { type: 'object', properties: { kind: { type: 'string', const: 'pickup' }, store: { type: 'string' } }, required: ['kind', 'store'] },
        { type: 'object', properties: { kind: { type: 'string', const: 'ship' }, to: { $ref: '#/definitions/Address' } }, required: ['kind', 'to'] },
      ],
    },
    gift: { type: 'boolean' },
  },
  required: ['customer', 'items', 'delivery'],
  definitions: {
    Address: {
      type: 'object',
      properties: { street: { type: 'string' }, city: { type: 'string' }, zip: { type: 'string' } },
      required: ['street', 'city'],
      description: 'A postal address',
    },
  },
};
