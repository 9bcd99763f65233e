/**
 * A JSON Schema validator for the keywords MCP servers use, without code generation: the renderer's CSP forbids
 * `eval`, which rules out ajv's compiled validators. Errors carry a JSON pointer to the value they are about, so a
 * form can show each next to its field. Covered: type, enum, const, properties/required/additionalProperties/
 * patternProperties/min-maxProperties, items/prefixItems/additionalItems/min-maxItems/uniqueItems/contains,
 * min-maxLength/pattern/format (email, uri, date, time, date-time, uuid, ipv4, ipv6, hostname), minimum/maximum/
 * exclusive bounds (both styles)/multipleOf, anyOf/oneOf/allOf/not, if/then/else, nullable and local $ref.
 */
import { asSchemaObject, deepEqual, displayValue, hasJsonType, isPlainObject, resolveRef, schemaTypes, type JsonSchema, type JsonSchemaObject, type JsonType } from './json-schema';

/** One problem with a value. */
export interface SchemaError {
  /** JSON pointer to the value ("" is the root, "/items/0/sku" a nested one). */
  path: string;
  message: string;
}

/** How deep schemas are followed; a guard against pathological recursive refs. */
const MAX_DEPTH = 64;

/** Validates a value against a schema; `root` is where `$ref`s are resolved (the schema itself by default). */
export function validateValue(value: unknown, schema: JsonSchema, root: JsonSchema = schema): SchemaError[] {
  const errors: SchemaError[] = [];
  check(value, schema, '', root, errors, 0);
  return errors;
}

/** The errors as one line each: `/path: message` (the root is `(root)`). */
export function formatSchemaErrors(errors: readonly SchemaError[]): string {
  return errors.map((error) => `${error.path || '(root)'}: ${error.message}`).join('; ');
}

/** A JSON pointer one level down. */
export function childPath(path: string, key: string | number): string {
  return `${path}/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

/**
 * Which of several branches (`anyOf`/`oneOf`) a value is closest to: a branch it matches, else the one whose
 * discriminating constants (`kind: "ship"`) and type agree with it and that has the fewest errors. Ties go to the
 * first branch. Forms use it to pick the variant to show; the validator to pick the errors worth reporting.
 */
export function closestBranch(value: unknown, branches: readonly JsonSchema[], root: JsonSchema): { index: number; errors: SchemaError[]; matchesShape: boolean } {
  let best: { index: number; errors: SchemaError[]; rank: number[]; matchesShape: boolean } | undefined;
  branches.forEach((branch, index) => {
    const errors = validateValue(value, branch, root);
    const shape = branchShape(value, branch, root);
    const rank = [shape.typeMismatch ? 1 : 0, shape.mismatches, errors.length === 0 ? 0 : 1, -shape.matches, errors.length];
    if (!best || compareRanks(rank, best.rank) < 0) best = { index, errors, rank, matchesShape: !shape.typeMismatch && shape.mismatches === 0 };
  });
  return best ? { index: best.index, errors: best.errors, matchesShape: best.matchesShape } : { index: 0, errors: [], matchesShape: false };
}

function compareRanks(a: number[], b: number[]): number {
  for (let index = 0; index < a.length; index += 1) {
    const difference = (a[index] ?? 0) - (b[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

/** How well a value fits a branch at its top level: its type, and its constant-valued properties (discriminators). */
function branchShape(value: unknown, branch: JsonSchema, root: JsonSchema): { typeMismatch: boolean; matches: number; mismatches: number } {
  const schema = followRefs(branch, root);
  const types = schemaTypes(schema);
  let typeMismatch = types.length > 0 && value !== undefined && !types.some((type) => hasJsonType(value, type));
  if (schema.const !== undefined && value !== undefined && !deepEqual(schema.const, value)) typeMismatch = true;
  let matches = 0;
  let mismatches = 0;
  if (isPlainObject(value) && schema.properties) {
    for (const [key, propertySchema] of Object.entries(schema.properties)) {
      const constant = discriminatorOf(followRefs(propertySchema, root));
      if (constant === undefined || !(key in value)) continue;
      if (deepEqual(value[key], constant.value)) matches += 1;
      else mismatches += 1;
    }
  }
  return { typeMismatch, matches, mismatches };
}

/** The fixed value of a schema (`const`, or an `enum` of one), if it has one. */
export function discriminatorOf(schema: JsonSchemaObject): { value: unknown } | undefined {
  if (schema.const !== undefined) return { value: schema.const };
  if (Array.isArray(schema.enum) && schema.enum.length === 1) return { value: schema.enum[0] };
  return undefined;
}

function followRefs(schema: JsonSchema, root: JsonSchema): JsonSchemaObject {
  let current = asSchemaObject(schema);
  for (let step = 0; step < MAX_DEPTH && typeof current.$ref === 'string'; step += 1) {
    const { $ref, ...siblings } = current;
    current = { ...asSchemaObject(resolveRef($ref, root) ?? {}), ...siblings };
  }
  return current;
}

function check(value: unknown, rawSchema: JsonSchema, path: string, root: JsonSchema, errors: SchemaError[], depth: number): void {
  if (rawSchema === true) return;
  if (rawSchema === false) {
    errors.push({ path, message: 'No value is allowed here' });
    return;
  }
  if (depth > MAX_DEPTH) return;
  const schema = asSchemaObject(rawSchema);
  if (typeof schema.$ref === 'string') {
    const target = resolveRef(schema.$ref, root);
    if (target === undefined) errors.push({ path, message: `Schema reference ${schema.$ref} cannot be resolved` });
    else check(value, target, path, root, errors, depth + 1);
  }
  if (value === null && schema.nullable === true) return;

  const types = schemaTypes(schema);
  if (types.length > 0 && !types.some((type) => hasJsonType(value, type))) {
    errors.push({ path, message: `Must be ${types.map(typeLabel).join(' or ')}` });
    // Keyword checks for other types would only add noise.
    return;
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((option) => deepEqual(option, value))) {
    errors.push({ path, message: `Must be one of: ${schema.enum.map(displayValue).join(', ')}` });
  }
  if (schema.const !== undefined && !deepEqual(schema.const, value)) errors.push({ path, message: `Must be ${displayValue(schema.const)}` });

  if (typeof value === 'string') checkString(value, schema, path, errors);
  if (typeof value === 'number') checkNumber(value, schema, path, errors);
  if (Array.isArray(value)) checkArray(value, schema, path, root, errors, depth);
  if (isPlainObject(value)) checkObject(value, schema, path, root, errors, depth);
  checkCombinators(value, schema, path, root, errors, depth);
}

function typeLabel(type: JsonType): string {
  switch (type) {
    case 'integer':
      return 'an integer';
    case 'object':
      return 'an object';
    case 'array':
      return 'an array';
    case 'null':
      return 'null';
    default:
      return `a ${type}`;
  }
}

function checkString(value: string, schema: JsonSchemaObject, path: string, errors: SchemaError[]): void {
  // Lengths count code points, as JSON Schema says.
  const length = [...value].length;
  if (typeof schema.minLength === 'number' && length < schema.minLength) {
    errors.push({ path, message: schema.minLength === 1 ? 'Must not be empty' : `Must be at least ${schema.minLength} characters` });
  }
  if (typeof schema.maxLength === 'number' && length > schema.maxLength) errors.push({ path, message: `Must be at most ${schema.maxLength} characters` });
  if (typeof schema.pattern === 'string') {
    const pattern = compilePattern(schema.pattern);
    if (pattern && !pattern.test(value)) errors.push({ path, message: `Must match the pattern ${schema.pattern}` });
  }
  if (typeof schema.format === 'string') {
    const format = FORMATS[schema.format];
    if (format && !format.test(value)) errors.push({ path, message: `Must be ${format.label}` });
  }
}

const patternCache = new Map<string, RegExp | null>();

/** A schema pattern as a RegExp (Unicode mode, else plain); an invalid pattern is ignored (null). */
function compilePattern(source: string): RegExp | null {
  let pattern = patternCache.get(source);
  if (pattern !== undefined) return pattern;
  try {
    pattern = new RegExp(source, 'u');
  } catch {
    try {
      pattern = new RegExp(source);
    } catch {
      pattern = null;
    }
  }
  patternCache.set(source, pattern);
  return pattern;
}

const FORMATS: Record<string, { label: string; test(value: string): boolean }> = {
  email: { label: 'an email address', test: (value) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value) },
  uri: { label: 'a URI (scheme:…)', test: (value) => /^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s]*$/.test(value) },
  url: { label: 'a URL', test: (value) => /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^\s]+$/.test(value) },
  date: { label: 'a date (YYYY-MM-DD)', test: (value) => /^\d{4}-\d{2}-\d{2}$/.test(value) && validDate(value) },
  time: { label: 'a time (hh:mm:ss)', test: (value) => /^([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/i.test(value) },
  'date-time': {
    label: 'a date and time (RFC 3339)',
    test: (value) => /^\d{4}-\d{2}-\d{2}[Tt ]([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.test(value) && validDate(value.slice(0, 10)),
  },
  uuid: { label: 'a UUID', test: (value) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value) },
  ipv4: { label: 'an IPv4 address', test: (value) => /^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/.test(value) },
  ipv6: { label: 'an IPv6 address', test: (value) => /^[0-9a-f:.]+$/i.test(value) && value.includes(':') && value.split('::').length <= 2 },
  hostname: { label: 'a host name', test: (value) => /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i.test(value) },
};

function validDate(text: string): boolean {
  const [year, month, day] = text.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function checkNumber(value: number, schema: JsonSchemaObject, path: string, errors: SchemaError[]): void {
  const { minimum, maximum, exclusiveMinimum, exclusiveMaximum, multipleOf } = schema;
  if (typeof minimum === 'number') {
    if (exclusiveMinimum === true ? value <= minimum : value < minimum) errors.push({ path, message: `Must be ${exclusiveMinimum === true ? '>' : '≥'} ${minimum}` });
  }
  if (typeof maximum === 'number') {
    if (exclusiveMaximum === true ? value >= maximum : value > maximum) errors.push({ path, message: `Must be ${exclusiveMaximum === true ? '<' : '≤'} ${maximum}` });
  }
  if (typeof exclusiveMinimum === 'number' && value <= exclusiveMinimum) errors.push({ path, message: `Must be > ${exclusiveMinimum}` });
  if (typeof exclusiveMaximum === 'number' && value >= exclusiveMaximum) errors.push({ path, message: `Must be < ${exclusiveMaximum}` });
  if (typeof multipleOf === 'number' && multipleOf > 0) {
    const quotient = value / multipleOf;
    // Floating point: 0.3 / 0.1 is 2.9999999999999996.
    if (Math.abs(quotient - Math.round(quotient)) > 1e-9) errors.push({ path, message: `Must be a multiple of ${multipleOf}` });
  }
}

function checkArray(value: unknown[], schema: JsonSchemaObject, path: string, root: JsonSchema, errors: SchemaError[], depth: number): void {
  const { minItems, maxItems } = schema;
  if (typeof minItems === 'number' && value.length < minItems) errors.push({ path, message: `Must have at least ${minItems} item${minItems === 1 ? '' : 's'}` });
  if (typeof maxItems === 'number' && value.length > maxItems) errors.push({ path, message: `Must have at most ${maxItems} item${maxItems === 1 ? '' : 's'}` });
  if (schema.uniqueItems === true) {
    const duplicate = value.findIndex((item, index) => value.findIndex((other) => deepEqual(other, item)) !== index);
    if (duplicate !== -1) errors.push({ path: childPath(path, duplicate), message: 'Items must be unique: this one repeats an earlier item' });
  }
  // Tuples: prefixItems (2020-12) or an items array (draft-07), then items / additionalItems for the rest.
  const tuple = Array.isArray(schema.prefixItems) ? schema.prefixItems : Array.isArray(schema.items) ? schema.items : undefined;
  const rest = tuple ? (Array.isArray(schema.prefixItems) ? (schema.items as JsonSchema | undefined) : schema.additionalItems) : (schema.items as JsonSchema | undefined);
  value.forEach((item, index) => {
    const itemSchema = tuple && index < tuple.length ? tuple[index] : rest;
    if (itemSchema !== undefined) check(item, itemSchema, childPath(path, index), root, errors, depth + 1);
  });
  if (schema.contains !== undefined && !value.some((item) => validateValue(item, schema.contains as JsonSchema, root).length === 0)) {
    errors.push({ path, message: 'Must contain at least one matching item' });
  }
}

function checkObject(value: Record<string, unknown>, schema: JsonSchemaObject, path: string, root: JsonSchema, errors: SchemaError[], depth: number): void {
  for (const name of schema.required ?? []) {
    if (value[name] === undefined) errors.push({ path: childPath(path, name), message: 'Required' });
  }
  const keys = Object.keys(value).filter((key) => value[key] !== undefined);
  if (typeof schema.minProperties === 'number' && keys.length < schema.minProperties) errors.push({ path, message: `Must have at least ${schema.minProperties} properties` });
  if (typeof schema.maxProperties === 'number' && keys.length > schema.maxProperties) errors.push({ path, message: `Must have at most ${schema.maxProperties} properties` });
  const patterns = Object.entries(schema.patternProperties ?? {}).map(([source, patternSchema]) => ({ pattern: compilePattern(source), schema: patternSchema }));
  for (const key of keys) {
    const keyPath = childPath(path, key);
    let known = false;
    if (schema.properties && Object.prototype.hasOwnProperty.call(schema.properties, key)) {
      known = true;
      check(value[key], schema.properties[key]!, keyPath, root, errors, depth + 1);
    }
    for (const entry of patterns) {
      if (entry.pattern?.test(key)) {
        known = true;
        check(value[key], entry.schema, keyPath, root, errors, depth + 1);
      }
    }
    if (known || schema.additionalProperties === undefined || schema.additionalProperties === true) continue;
    if (schema.additionalProperties === false) errors.push({ path: keyPath, message: `Unexpected property “${key}”` });
    else check(value[key], schema.additionalProperties, keyPath, root, errors, depth + 1);
  }
}

function checkCombinators(value: unknown, schema: JsonSchemaObject, path: string, root: JsonSchema, errors: SchemaError[], depth: number): void {
  for (const member of schema.allOf ?? []) check(value, member, path, root, errors, depth + 1);
  if (Array.isArray(schema.anyOf) && schema.anyOf.length > 0) reportBranches(value, schema.anyOf, 'anyOf', path, root, errors);
  if (Array.isArray(schema.oneOf) && schema.oneOf.length > 0) {
    const matching = schema.oneOf.filter((branch) => validateValue(value, branch, root).length === 0).length;
    if (matching === 0) reportBranches(value, schema.oneOf, 'oneOf', path, root, errors);
    else if (matching > 1) errors.push({ path, message: `Matches ${matching} of the options, but must match exactly one` });
  }
  if (schema.not !== undefined && validateValue(value, schema.not, root).length === 0) errors.push({ path, message: 'Must not match the excluded schema' });
  if (schema.if !== undefined) {
    const branch = validateValue(value, schema.if, root).length === 0 ? schema.then : schema.else;
    if (branch !== undefined) check(value, branch, path, root, errors, depth + 1);
  }
}

/** No branch matched: report the closest branch's own errors when its shape fits, else one summary error. */
function reportBranches(value: unknown, branches: JsonSchema[], keyword: 'anyOf' | 'oneOf', path: string, root: JsonSchema, errors: SchemaError[]): void {
  const closest = closestBranch(value, branches, root);
  if (closest.errors.length === 0) return;
  // Relative paths: the branch was validated on its own, so its errors start at "".
  if (closest.matchesShape) errors.push(...closest.errors.map((error) => ({ path: path + error.path, message: error.message })));
  else errors.push({ path, message: keyword === 'oneOf' ? 'Must match one of the options' : 'Must match at least one of the options' });
}
