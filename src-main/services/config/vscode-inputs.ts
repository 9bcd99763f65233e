import { describeJsonType, isJsonObject, ownValue } from './json-values';

/**
 * A VS Code input: a value VS Code asks the user for the first time a server that uses `${input:id}` starts. Only
 * what helps Patchbay ask the same question is kept.
 */
export interface InputDefinition {
  id: string;
  /** `promptString` (a text box) or `pickString` (a choice); `command` inputs are kept with their type. */
  type: string;
  description?: string;
  /** Whether VS Code hides what is typed: the value is a secret. */
  password: boolean;
  /** The value VS Code pre-fills; never used without asking. */
  defaultValue?: string;
  /** The choices of a `pickString` input. */
  options?: string[];
}

/** The inputs of a VS Code file and sentences about the entries that could not be read. */
export interface InputsReadResult {
  inputs: InputDefinition[];
  warnings: string[];
}

/**
 * Reads VS Code's `inputs` array. A bad input is reported and skipped: it only describes a prompt, so it never
 * stops the servers from being read.
 * @param where how messages name the array: `"inputs"` or `"mcp.inputs"`.
 */
export function readInputDefinitions(value: unknown, where: string): InputsReadResult {
  if (value === undefined) return { inputs: [], warnings: [] };
  if (!Array.isArray(value)) return { inputs: [], warnings: [`${where} must be an array of inputs, not ${describeJsonType(value)}; it was not read`] };

  const inputs: InputDefinition[] = [];
  const warnings: string[] = [];
  const seen = new Set<string>();
  value.forEach((item: unknown, index) => {
    const label = `${where} item ${index + 1}`;
    if (!isJsonObject(item)) {
      warnings.push(`${label} must be an object, not ${describeJsonType(item)}; it was not read`);
      return;
    }
    const id = ownValue(item, 'id');
    if (typeof id !== 'string' || id.trim() === '') {
      warnings.push(`${label} has no "id"; it was not read`);
      return;
    }
    if (seen.has(id)) {
      warnings.push(`${label}: the input id "${id}" is used twice; the first one is kept`);
      return;
    }
    seen.add(id);
    inputs.push(readInput(id, item));
  });
  return { inputs, warnings };
}

function readInput(id: string, item: Record<string, unknown>): InputDefinition {
  const type = ownValue(item, 'type');
  const description = ownValue(item, 'description');
  const defaultValue = ownValue(item, 'default');
  const options = ownValue(item, 'options');
  const input: InputDefinition = { id, type: typeof type === 'string' ? type : 'promptString', password: ownValue(item, 'password') === true };
  if (typeof description === 'string') input.description = description;
  if (typeof defaultValue === 'string') input.defaultValue = defaultValue;
  if (Array.isArray(options)) {
    // pickString options are strings or { label, value } objects.
    input.options = options.flatMap((option: unknown) => {
      if (typeof option === 'string') return [option];
      const optionValue = isJsonObject(option) ? ownValue(option, 'value') : undefined;
      return typeof optionValue === 'string' ? [optionValue] : [];
    });
  }
  return input;
}
