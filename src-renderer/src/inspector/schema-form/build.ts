/**
 * Form draft → arguments: what the form holds (with unset and empty fields) becomes the JSON that is sent, and is
 * checked against the schema first, with each error placed on the field it is about.
 */
import { describeField, inferVariant } from './form-model';
import { isPlainObject, type JsonSchema } from './json-schema';
import { validateValue, type SchemaError } from './validate';

/** A form's state made ready to send: the value, and what is wrong with it. */
export interface BuiltValue {
  value: unknown;
  errors: SchemaError[];
}

/**
 * Drops what the user left empty: unset values, and for optional properties also "", null, {} and []. A required
 * property left empty is dropped too, so validation says "Required" rather than accepting "". Keys the schema does
 * not know (typed in raw JSON mode) are kept. Array items stay (an item is always explicit); unset ones become null.
 */
export function compactValue(value: unknown, schema: JsonSchema | undefined, root: JsonSchema, depth = 0): unknown {
  if (value === undefined || depth > 64) return value;
  const field = describeField(schema, root);
  switch (field.kind) {
    case 'object': {
      if (!isPlainObject(value)) return value;
      const compacted: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) {
        const property = field.properties.find((candidate) => candidate.name === key);
        if (!property) {
          if (item !== undefined) compacted[key] = item;
          continue;
        }
        const next = compactValue(item, property.schema, root, depth + 1);
        if (isLeftEmpty(next, property.required)) continue;
        compacted[key] = next;
      }
      return compacted;
    }
    case 'array':
      if (!Array.isArray(value)) return value;
      return value.map((item) => {
        const next = compactValue(item, field.itemSchema, root, depth + 1);
        return next === undefined ? null : next;
      });
    case 'variant': {
      const variant = field.variants[inferVariant(field.variants, value, root)];
      return variant ? compactValue(value, variant.schema, root, depth + 1) : value;
    }
    default:
      return value;
  }
}

function isLeftEmpty(value: unknown, required: boolean): boolean {
  if (value === undefined || value === '') return true;
  if (required) return false;
  if (value === null) return true;
  if (Array.isArray(value)) return value.length === 0;
  return isPlainObject(value) && Object.keys(value).length === 0;
}

/**
 * The arguments a form draft stands for, and their schema errors. The top level is always an object (tool and
 * prompt arguments, elicitation content), `{}` when nothing was filled in.
 */
export function buildFromDraft(draft: unknown, schema: JsonSchema, root: JsonSchema = schema): BuiltValue {
  const compacted = compactValue(draft, schema, root);
  const value = compacted === undefined ? {} : compacted;
  return { value, errors: validateValue(value, schema, root) };
}

/** Errors grouped by the path of the field they belong to. */
export function errorsByPath(errors: readonly SchemaError[]): ReadonlyMap<string, string[]> {
  const map = new Map<string, string[]>();
  for (const error of errors) map.set(error.path, [...(map.get(error.path) ?? []), error.message]);
  return map;
}

/** A JSON pointer as people read it: `customer › address › city`, `items › #1` (1-based); "" is `rootLabel`. */
export function describePath(path: string, rootLabel = 'arguments'): string {
  if (path === '') return rootLabel;
  return path
    .slice(1)
    .split('/')
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((token) => (/^\d+$/.test(token) ? `#${Number(token) + 1}` : token))
    .join(' › ');
}
