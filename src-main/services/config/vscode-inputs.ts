import type { ServerEntry } from '../../../src-shared/catalog';
import { inputIdsIn, type InputDefinition as CatalogInputDefinition } from '../../../src-shared/inputs';
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

/**
 * The entry with the definitions of the `${input:id}` it uses (as the catalog keeps them), so it can be asked for
 * when it starts wherever it came from. Inputs VS Code asks for with a command (`type: "command"`) cannot be asked
 * by Patchbay: they are left out, and a warning says so; the server is then asked for them as plain text.
 */
export function withInputDefinitions(entry: ServerEntry, inputs: readonly InputDefinition[], warnings: string[]): ServerEntry {
  const kept: CatalogInputDefinition[] = [];
  for (const id of usedInputIds(entry)) {
    const input = inputs.find((candidate) => candidate.id === id);
    if (!input) continue;
    const definition = toCatalogInput(input);
    if (definition) kept.push(definition);
    else warnings.push(`server "${entry.name}": the input "${input.id}" is of type "${input.type}", which only VS Code can run; Patchbay asks for it as plain text`);
  }
  return kept.length > 0 ? { ...entry, inputs: kept } : entry;
}

/** The ids of the inputs an entry uses, in order of first use (command, args, env, cwd, url, headers). */
export function usedInputIds(entry: ServerEntry): string[] {
  const texts = entry.transport === 'stdio' ? [entry.command, ...entry.args, ...Object.values(entry.env), entry.cwd ?? ''] : [entry.url, ...Object.values(entry.headers)];
  return [...new Set(texts.flatMap(inputIdsIn))];
}

function toCatalogInput(input: InputDefinition): CatalogInputDefinition | undefined {
  const common = { id: input.id, ...(input.description !== undefined ? { description: input.description } : {}), ...(input.defaultValue !== undefined ? { default: input.defaultValue } : {}) };
  if (input.type === 'promptString') return { type: 'promptString', ...common, ...(input.password ? { password: true } : {}) };
  if (input.type === 'pickString' && input.options && input.options.length > 0) return { type: 'pickString', ...common, options: [...input.options] };
  return undefined;
}
