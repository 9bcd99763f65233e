/** A parsed JSON object (not an array, not null). */
export type JsonObject = Record<string, unknown>;

/** Whether a parsed JSON value is an object (not an array, not null). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Names the kind of a parsed JSON value for messages: "an array", "a string", "null". */
export function describeJsonType(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'a boolean';
    case 'object':
      return 'an object';
    default:
      return typeof value;
  }
}

/** Reads an own property only: a `__proto__` key in the file must not reach inherited members. */
export function ownValue(object: JsonObject, key: string): unknown {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

/** Like `ownValue`, with null counted as absent: in YAML, a key left empty (`args:`) is null. */
export function presentValue(object: JsonObject, key: string): unknown {
  const value = ownValue(object, key);
  return value === null ? undefined : value;
}

/** Whether a value is an object of string values, as `env` and `headers` must be. */
export function isStringRecord(value: unknown): value is Record<string, string> {
  return isJsonObject(value) && Object.values(value).every((item) => typeof item === 'string');
}
