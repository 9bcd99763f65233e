/**
 * JSON Schema as MCP servers send it (tool input and output schemas, elicitation's requestedSchema): the object
 * form with draft-07 and 2020-12 keywords, or a boolean. Helpers to follow `$ref`s and compare JSON values.
 */

export type JsonType = 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array' | 'null';

/** A schema: `true` accepts anything, `false` nothing. */
export type JsonSchema = boolean | JsonSchemaObject;

export interface JsonSchemaObject {
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
  definitions?: Record<string, JsonSchema>;
  type?: JsonType | JsonType[];
  title?: string;
  description?: string;
  default?: unknown;
  examples?: unknown[];
  enum?: unknown[];
  /** Labels for `enum` (a legacy extension some servers and elicitation requests use). */
  enumNames?: string[];
  const?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: JsonSchema;
  patternProperties?: Record<string, JsonSchema>;
  minProperties?: number;
  maxProperties?: number;
  items?: JsonSchema | JsonSchema[];
  prefixItems?: JsonSchema[];
  additionalItems?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  contains?: JsonSchema;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  /** A number (2019+) or, in draft-04 style, a flag on `minimum`. */
  exclusiveMinimum?: number | boolean;
  exclusiveMaximum?: number | boolean;
  multipleOf?: number;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  not?: JsonSchema;
  if?: JsonSchema;
  then?: JsonSchema;
  else?: JsonSchema;
  /** OpenAPI's way of saying "or null". */
  nullable?: boolean;
  deprecated?: boolean;
  readOnly?: boolean;
  [keyword: string]: unknown;
}

/** How many `$ref`s are followed in a row before giving up (a ref cycle without structure in between). */
const MAX_REF_CHAIN = 32;

/** Whether a value is a JSON object (not an array, not null). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The schema as an object: `true` or a missing schema become `{}`, `false` becomes `{ not: {} }`. */
export function asSchemaObject(schema: JsonSchema | undefined): JsonSchemaObject {
  if (schema === undefined || schema === true) return {};
  if (schema === false) return { not: {} };
  return isPlainObject(schema) ? schema : {};
}

/**
 * The schema a local `$ref` points to: `#` (the root), or a JSON pointer such as `#/$defs/Address` or
 * `#/definitions/Address` (with `~0`/`~1` and percent escapes). Undefined when it cannot be found; remote refs are
 * not fetched.
 */
export function resolveRef(ref: string, root: JsonSchema): JsonSchema | undefined {
  if (!ref.startsWith('#')) return undefined;
  const pointer = ref.slice(1);
  if (pointer === '' || pointer === '/') return root;
  if (!pointer.startsWith('/')) return undefined;
  let current: unknown = root;
  for (const raw of pointer.slice(1).split('/')) {
    let token: string;
    try {
      token = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    } catch {
      return undefined;
    }
    if (Array.isArray(current)) current = current[Number(token)];
    else if (isPlainObject(current)) current = current[token];
    else return undefined;
    if (current === undefined) return undefined;
  }
  return typeof current === 'boolean' || isPlainObject(current) ? (current as JsonSchema) : undefined;
}

/**
 * Follows `$ref` until a schema without one is reached. Keywords next to a `$ref` (a description, a default) win
 * over the target's, as in 2019+. An unresolvable or cyclic ref becomes `{}` (anything), so a form still renders.
 */
export function deref(schema: JsonSchema | undefined, root: JsonSchema): JsonSchemaObject {
  let current = asSchemaObject(schema);
  for (let step = 0; step < MAX_REF_CHAIN && typeof current.$ref === 'string'; step += 1) {
    const { $ref, ...siblings } = current;
    const target = resolveRef($ref, root);
    if (target === undefined) return siblings;
    current = { ...asSchemaObject(target), ...siblings };
  }
  if (typeof current.$ref === 'string') {
    const { $ref: _cycle, ...rest } = current;
    return rest;
  }
  return current;
}

/**
 * Merges `allOf` members that are objects into one schema (properties and required lists combined), as forms need
 * one set of fields. Members are dereferenced first; the schema's own keywords win on conflicts.
 */
export function flattenAllOf(schema: JsonSchemaObject, root: JsonSchema, depth = 0): JsonSchemaObject {
  if (!Array.isArray(schema.allOf) || depth > MAX_REF_CHAIN) return schema;
  const { allOf, ...own } = schema;
  let merged: JsonSchemaObject = {};
  for (const member of allOf) merged = mergeSchemas(merged, flattenAllOf(deref(member, root), root, depth + 1));
  return mergeSchemas(merged, own);
}

function mergeSchemas(base: JsonSchemaObject, extra: JsonSchemaObject): JsonSchemaObject {
  const merged: JsonSchemaObject = { ...base, ...extra };
  if (base.properties || extra.properties) merged.properties = { ...base.properties, ...extra.properties };
  if (base.required || extra.required) merged.required = [...new Set([...(base.required ?? []), ...(extra.required ?? [])])];
  return merged;
}

/** The JSON type of a value (`integer` is never returned: integers are numbers). */
export function jsonTypeOf(value: unknown): Exclude<JsonType, 'integer'> | 'undefined' {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  switch (typeof value) {
    case 'string':
      return 'string';
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'object':
      return 'object';
    default:
      return 'undefined';
  }
}

/** Whether a value has a JSON type (`integer`: a whole number). */
export function hasJsonType(value: unknown, type: JsonType): boolean {
  if (type === 'integer') return typeof value === 'number' && Number.isInteger(value);
  if (type === 'number') return typeof value === 'number' && Number.isFinite(value);
  return jsonTypeOf(value) === type;
}

/** The types a schema allows, as a list (empty: any). */
export function schemaTypes(schema: JsonSchemaObject): JsonType[] {
  if (Array.isArray(schema.type)) return schema.type;
  return typeof schema.type === 'string' ? [schema.type] : [];
}

/** Structural equality of JSON values (key order does not matter). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, index) => deepEqual(item, b[index]));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    return keys.every((key) => Object.prototype.hasOwnProperty.call(b, key) && deepEqual(a[key], b[key]));
  }
  return false;
}

/** A deep copy of a JSON value (defaults are copied so a form never edits the schema). */
export function cloneJson<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

/** A value for a message: strings as they are, anything else as JSON. */
export function displayValue(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
}
