/**
 * JSON Schema → form: what kind of field each schema becomes (text, number, checkbox, select, nested object,
 * array with add/remove, variant picker for anyOf/oneOf, or raw JSON for what a form cannot express), with labels,
 * descriptions, defaults and required flags. Pure; the React form (SchemaForm.tsx) renders these models.
 */
import { closestBranch, discriminatorOf } from './validate';
import { cloneJson, deref, displayValue, flattenAllOf, isPlainObject, schemaTypes, type JsonSchema, type JsonSchemaObject, type JsonType } from './json-schema';

/** One choice of a select or checkbox group. */
export interface EnumOption {
  label: string;
  value: unknown;
}

/** A property of an object field. */
export interface PropertyModel {
  name: string;
  required: boolean;
  schema: JsonSchema;
}

/** One branch of an anyOf/oneOf. */
export interface VariantModel {
  label: string;
  schema: JsonSchema;
}

/** What every field has: the resolved schema and its annotations. */
interface FieldCommon {
  /** The schema with $refs followed and allOf merged. */
  schema: JsonSchemaObject;
  title?: string;
  description?: string;
  defaultValue?: unknown;
  /** The value may also be null (type [T, "null"], nullable, or an anyOf with a null branch). */
  nullable: boolean;
  deprecated: boolean;
}

export type FieldModel = FieldCommon &
  (
    | { kind: 'string'; format?: string; multiline: boolean; minLength?: number; maxLength?: number; pattern?: string }
    | { kind: 'number'; integer: boolean; minimum?: number; maximum?: number; step?: number }
    | { kind: 'boolean' }
    | { kind: 'enum'; options: EnumOption[] }
    | { kind: 'multi-enum'; options: EnumOption[] }
    | { kind: 'object'; properties: PropertyModel[]; /** Keys beyond `properties` are allowed (they are kept as they are). */ open: boolean }
    | { kind: 'array'; itemSchema: JsonSchema; minItems?: number; maxItems?: number }
    | { kind: 'variant'; keyword: 'anyOf' | 'oneOf' | 'type'; variants: VariantModel[] }
    | { kind: 'const'; value: unknown }
    | { kind: 'null' }
    | { kind: 'json'; reason: string }
  );

export type FieldKind = FieldModel['kind'];

/** Recursive schemas (a tree of nodes) stop producing initial values this deep. */
const MAX_DEPTH = 12;
/** Strings that may be longer than this get a textarea. */
const MULTILINE_FROM = 120;

/** Describes the field a schema becomes. `root` is where `$ref`s resolve (the tool's whole input schema). */
export function describeField(rawSchema: JsonSchema | undefined, root: JsonSchema): FieldModel {
  if (rawSchema === false) return { ...common({}, false), kind: 'json', reason: 'The schema allows no value' };
  const schema = flattenAllOf(deref(rawSchema, root), root);
  const types = schemaTypes(schema);
  const nonNullTypes = types.filter((type) => type !== 'null');
  const nullable = schema.nullable === true || (types.includes('null') && nonNullTypes.length > 0);
  const base = common(schema, nullable);

  if (schema.const !== undefined) return { ...base, kind: 'const', value: schema.const };
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return { ...base, kind: 'enum', options: enumOptions(schema) };

  const branchKeyword = Array.isArray(schema.oneOf) && schema.oneOf.length > 0 ? 'oneOf' : Array.isArray(schema.anyOf) && schema.anyOf.length > 0 ? 'anyOf' : undefined;
  if (branchKeyword) {
    const branches = schema[branchKeyword] as JsonSchema[];
    const resolved = branches.map((branch) => deref(branch, root));
    const nonNull = branches.filter((_, index) => !isNullSchema(resolved[index]!));
    // Optional[T] (pydantic, zod's nullable): T, nullable; the parent's annotations win.
    if (nonNull.length === 1 && nonNull.length < branches.length) {
      const inner = describeField(mergeAnnotations(deref(nonNull[0], root), schema), root);
      return { ...inner, nullable: true };
    }
    const constants = nonNull.map((branch) => deref(branch, root));
    if (constants.every((branch) => branch.const !== undefined)) {
      return { ...base, nullable: base.nullable || nonNull.length < branches.length, kind: 'enum', options: constants.map((branch) => ({ label: branch.title ?? displayValue(branch.const), value: branch.const })) };
    }
    return { ...base, nullable: base.nullable || nonNull.length < branches.length, kind: 'variant', keyword: branchKeyword, variants: labelVariants(nonNull, root) };
  }

  if (nonNullTypes.length > 1) {
    const variants = labelVariants(
      nonNullTypes.map((type) => ({ ...withoutAnnotations(schema), type })),
      root,
    );
    return { ...base, kind: 'variant', keyword: 'type', variants };
  }

  const type: JsonType | undefined = nonNullTypes[0] ?? inferType(schema, types);
  switch (type) {
    case 'string':
      return {
        ...base,
        kind: 'string',
        format: schema.format,
        multiline: schema.format === 'textarea' || (schema.maxLength ?? 0) > MULTILINE_FROM,
        minLength: schema.minLength,
        maxLength: schema.maxLength,
        pattern: schema.pattern,
      };
    case 'number':
    case 'integer':
      return {
        ...base,
        kind: 'number',
        integer: type === 'integer',
        minimum: typeof schema.minimum === 'number' ? schema.minimum : typeof schema.exclusiveMinimum === 'number' ? schema.exclusiveMinimum : undefined,
        maximum: typeof schema.maximum === 'number' ? schema.maximum : typeof schema.exclusiveMaximum === 'number' ? schema.exclusiveMaximum : undefined,
        step: typeof schema.multipleOf === 'number' ? schema.multipleOf : type === 'integer' ? 1 : undefined,
      };
    case 'boolean':
      return { ...base, kind: 'boolean' };
    case 'null':
      return { ...base, kind: 'null' };
    case 'object':
      return describeObject(schema, base);
    case 'array':
      return describeArray(schema, base, root);
    default:
      return { ...base, kind: 'json', reason: 'Any JSON value' };
  }
}

function common(schema: JsonSchemaObject, nullable: boolean): FieldCommon {
  return {
    schema,
    title: typeof schema.title === 'string' ? schema.title : undefined,
    description: typeof schema.description === 'string' ? schema.description : undefined,
    defaultValue: schema.default,
    nullable,
    deprecated: schema.deprecated === true,
  };
}

function inferType(schema: JsonSchemaObject, types: JsonType[]): JsonType | undefined {
  if (types.includes('null')) return 'null';
  if (schema.properties || schema.additionalProperties !== undefined || schema.required) return 'object';
  if (schema.items !== undefined || schema.prefixItems) return 'array';
  return undefined;
}

function isNullSchema(schema: JsonSchemaObject): boolean {
  const types = schemaTypes(schema);
  return (types.length === 1 && types[0] === 'null') || schema.const === null;
}

const ANNOTATIONS = ['title', 'description', 'default', 'deprecated', 'examples'] as const;

function mergeAnnotations(inner: JsonSchemaObject, outer: JsonSchemaObject): JsonSchemaObject {
  const merged: JsonSchemaObject = { ...inner };
  for (const key of ANNOTATIONS) if (outer[key] !== undefined) (merged as Record<string, unknown>)[key] = outer[key];
  return merged;
}

function withoutAnnotations(schema: JsonSchemaObject): JsonSchemaObject {
  const rest: JsonSchemaObject = { ...schema };
  for (const key of ANNOTATIONS) delete rest[key];
  delete rest.type;
  return rest;
}

function enumOptions(schema: JsonSchemaObject): EnumOption[] {
  const values = schema.enum ?? [];
  const names = Array.isArray(schema.enumNames) && schema.enumNames.length === values.length ? schema.enumNames : undefined;
  return values.map((value, index) => ({ label: names?.[index] ?? (value === null ? 'null' : displayValue(value)), value }));
}

function describeObject(schema: JsonSchemaObject, base: FieldCommon): FieldModel {
  const required = new Set(schema.required ?? []);
  const properties = Object.entries(schema.properties ?? {}).map(([name, propertySchema]) => ({ name, required: required.has(name), schema: propertySchema }));
  // Properties named only in `required` still need a field.
  for (const name of required) if (!properties.some((property) => property.name === name)) properties.push({ name, required: true, schema: {} });
  const open = schema.additionalProperties !== false && (schema.additionalProperties !== undefined || schema.patternProperties !== undefined);
  if (properties.length === 0 && open) return { ...base, kind: 'json', reason: 'An object with free-form keys' };
  return { ...base, kind: 'object', properties, open };
}

function describeArray(schema: JsonSchemaObject, base: FieldCommon, root: JsonSchema): FieldModel {
  if (Array.isArray(schema.prefixItems) || Array.isArray(schema.items)) return { ...base, kind: 'json', reason: 'A tuple (items by position)' };
  const itemSchema: JsonSchema = (schema.items as JsonSchema | undefined) ?? {};
  const item = describeField(itemSchema, root);
  if (item.kind === 'enum' && !item.nullable) return { ...base, kind: 'multi-enum', options: item.options };
  return { ...base, kind: 'array', itemSchema, minItems: schema.minItems, maxItems: schema.maxItems };
}

/** Labels for anyOf/oneOf branches: a title, a discriminating constant (`ship`), a type, else "Option n"; unique. */
export function labelVariants(branches: readonly JsonSchema[], root: JsonSchema): VariantModel[] {
  const labels = branches.map((branch, index) => variantLabel(branch, index, root));
  return branches.map((schema, index) => {
    const label = labels[index]!;
    const repeated = labels.filter((other) => other === label).length > 1;
    return { schema, label: repeated ? `${label} (${labels.slice(0, index + 1).filter((other) => other === label).length})` : label };
  });
}

function variantLabel(branch: JsonSchema, index: number, root: JsonSchema): string {
  const schema = flattenAllOf(deref(branch, root), root);
  if (typeof schema.title === 'string' && schema.title) return schema.title;
  if (schema.const !== undefined) return displayValue(schema.const);
  for (const propertySchema of Object.values(schema.properties ?? {})) {
    const constant = discriminatorOf(deref(propertySchema, root));
    if (constant && typeof constant.value === 'string') return constant.value;
  }
  const types = schemaTypes(schema);
  if (types.length > 0) return types.join(' | ');
  if (schema.properties) return 'object';
  if (schema.items !== undefined) return 'array';
  return `Option ${index + 1}`;
}

/**
 * The variant a value belongs to (index into `variants`): the one it matches, else the closest by discriminator,
 * type and error count. A form starts with it when given a value (from raw JSON or a default).
 */
export function inferVariant(variants: readonly VariantModel[], value: unknown, root: JsonSchema): number {
  if (value === undefined || variants.length === 0) return 0;
  return closestBranch(
    value,
    variants.map((variant) => variant.schema),
    root,
  ).index;
}

/**
 * A field's starting value: its default, else its constant, else for required fields what the form needs to show
 * (an object with its own starting values, `minItems` items, false for a checkbox, the first variant). Optional
 * fields without a default start unset (undefined) and are left out of the arguments until filled in.
 */
export function initialValue(schema: JsonSchema | undefined, root: JsonSchema, required = true, depth = 0): unknown {
  if (depth > MAX_DEPTH) return undefined;
  const field = describeField(schema, root);
  if (field.defaultValue !== undefined) return cloneJson(field.defaultValue);
  switch (field.kind) {
    case 'const':
      return cloneJson(field.value);
    case 'null':
      return required ? null : undefined;
    case 'boolean':
      return required && !field.nullable ? false : undefined;
    case 'enum':
      return required && field.options.length === 1 ? cloneJson(field.options[0]!.value) : undefined;
    case 'multi-enum':
      return required ? [] : undefined;
    case 'object': {
      if (!required) return undefined;
      const value: Record<string, unknown> = {};
      for (const property of field.properties) {
        const start = initialValue(property.schema, root, property.required, depth + 1);
        if (start !== undefined) value[property.name] = start;
      }
      return value;
    }
    case 'array': {
      if (!required) return undefined;
      return Array.from({ length: field.minItems ?? 0 }, () => initialValue(field.itemSchema, root, true, depth + 1));
    }
    case 'variant':
      return required ? initialValue(field.variants[0]?.schema, root, true, depth + 1) : undefined;
    default:
      return undefined;
  }
}

/**
 * The value after switching an anyOf/oneOf field to another variant: the new variant's starting value, keeping the
 * old object's properties that the new variant also has (except its constants), so filled-in fields survive.
 */
export function switchVariant(previous: unknown, target: JsonSchema, root: JsonSchema): unknown {
  const next = initialValue(target, root, true);
  if (!isPlainObject(previous) || !isPlainObject(next)) return next;
  const field = describeField(target, root);
  if (field.kind !== 'object') return next;
  const merged: Record<string, unknown> = { ...next };
  for (const property of field.properties) {
    if (!(property.name in previous) || discriminatorOf(deref(property.schema, root))) continue;
    merged[property.name] = previous[property.name];
  }
  return merged;
}

/** The property of an object value set (or removed, when `next` is undefined); an unset object becomes one. */
export function withProperty(object: unknown, name: string, next: unknown): Record<string, unknown> {
  const copy: Record<string, unknown> = isPlainObject(object) ? { ...object } : {};
  if (next === undefined) delete copy[name];
  else copy[name] = next;
  return copy;
}

/** The array with one item replaced. */
export function withItem(array: unknown, index: number, next: unknown): unknown[] {
  const copy = Array.isArray(array) ? [...array] : [];
  copy[index] = next;
  return copy;
}

/** The array with one item removed. */
export function withoutItem(array: unknown, index: number): unknown[] {
  const copy = Array.isArray(array) ? [...array] : [];
  copy.splice(index, 1);
  return copy;
}

/** The array with a new item (the item schema's starting value) at the end. */
export function withAddedItem(array: unknown, itemSchema: JsonSchema, root: JsonSchema): unknown[] {
  const start = initialValue(itemSchema, root, true);
  return [...(Array.isArray(array) ? array : []), start === undefined ? null : start];
}

/** The array with an item moved by `offset` places (stays put at either end). */
export function withMovedItem(array: unknown, index: number, offset: number): unknown[] {
  const copy = Array.isArray(array) ? [...array] : [];
  const target = index + offset;
  if (target < 0 || target >= copy.length || index < 0 || index >= copy.length) return copy;
  const [item] = copy.splice(index, 1);
  copy.splice(target, 0, item);
  return copy;
}

/** The checkbox group's value with one option turned on or off, in the options' order. */
export function toggleOption(selected: unknown, options: readonly EnumOption[], option: EnumOption, on: boolean): unknown[] {
  const current = Array.isArray(selected) ? selected : [];
  const has = (candidate: EnumOption) => current.some((value) => JSON.stringify(value) === JSON.stringify(candidate.value));
  return options.filter((candidate) => (candidate === option ? on : has(candidate))).map((candidate) => candidate.value);
}

/** The index of a value among the options (-1: none), for a select whose option values are indexes. */
export function optionIndex(options: readonly EnumOption[], value: unknown): number {
  if (value === undefined) return -1;
  const wanted = JSON.stringify(value);
  return options.findIndex((option) => JSON.stringify(option.value) === wanted);
}

/**
 * A number input's text as a value: empty → unset, a number → that number, anything else → the text itself, so
 * validation reports it ("Must be a number") rather than the form silently dropping it.
 */
export function parseNumberInput(text: string): number | string | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  const number = Number(trimmed);
  return Number.isFinite(number) && /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(trimmed) ? number : text;
}

/** A raw JSON input's text as a value: empty → unset, valid JSON → its value, anything else → the text as a string. */
export function parseJsonInput(text: string): { value: unknown; isJson: boolean } {
  if (text.trim() === '') return { value: undefined, isJson: true };
  try {
    return { value: JSON.parse(text) as unknown, isJson: true };
  } catch {
    return { value: text, isJson: false };
  }
}

/** A value as a raw JSON input shows it. */
export function formatJsonInput(value: unknown): string {
  return value === undefined ? '' : JSON.stringify(value, null, 2);
}

/** A field's constraints in a few words (`integer, ≥ 1`, `email`, `at least 1 item`), for the hint under it. */
export function describeConstraints(field: FieldModel): string | undefined {
  const parts: string[] = [];
  switch (field.kind) {
    case 'string':
      if (field.format) parts.push(field.format);
      if (field.minLength !== undefined && field.maxLength !== undefined) parts.push(`${field.minLength}–${field.maxLength} characters`);
      else if (field.minLength !== undefined && field.minLength > 0) parts.push(`at least ${field.minLength} character${field.minLength === 1 ? '' : 's'}`);
      else if (field.maxLength !== undefined) parts.push(`at most ${field.maxLength} characters`);
      // A format says it better than the regex some generators add beside it (zod's email pattern).
      if (field.pattern && !field.format) parts.push(`pattern ${field.pattern}`);
      break;
    case 'number':
      parts.push(field.integer ? 'integer' : 'number');
      // zod writes the safe-integer limits for every int: not worth a mention.
      if (field.minimum !== undefined && Math.abs(field.minimum) < Number.MAX_SAFE_INTEGER) parts.push(`≥ ${field.minimum}`);
      if (field.maximum !== undefined && Math.abs(field.maximum) < Number.MAX_SAFE_INTEGER) parts.push(`≤ ${field.maximum}`);
      if (field.step !== undefined && !(field.integer && field.step === 1)) parts.push(`multiple of ${field.step}`);
      break;
    case 'array':
    case 'multi-enum': {
      const min = field.kind === 'array' ? field.minItems : undefined;
      const max = field.kind === 'array' ? field.maxItems : undefined;
      if (min !== undefined && max !== undefined) parts.push(`${min}–${max} items`);
      else if (min !== undefined && min > 0) parts.push(`at least ${min} item${min === 1 ? '' : 's'}`);
      else if (max !== undefined) parts.push(`at most ${max} items`);
      break;
    }
    default:
      break;
  }
  if (field.nullable) parts.push('or null');
  if (field.defaultValue !== undefined) parts.push(`default ${displayValue(field.defaultValue)}`);
  return parts.length > 0 ? parts.join(', ') : undefined;
}
