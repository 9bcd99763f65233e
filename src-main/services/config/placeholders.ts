import { remoteUrlProblem, ServerEntrySchema, type ServerEntry } from '../../../src-shared/catalog';
import { describeEntryIssues } from './entry-issues';
import type { InputDefinition } from './vscode-inputs';

// Hosts write placeholders that they fill in when a server starts. Patchbay keeps them verbatim in the catalog and
// fills them in only here, on a copy, from values the caller passes in: this module reads no environment itself.

/** What fills a placeholder: an environment variable, a VS Code input, or another host variable. */
export type PlaceholderKind = 'env' | 'input' | 'variable';

/** One `${...}` found in a value. */
export interface Placeholder {
  /** The placeholder as written: `${env:TOKEN}`. */
  text: string;
  kind: PlaceholderKind;
  /** The variable's name, the input's id, or for a host variable what stands between the braces. */
  name: string;
  /** From `${VAR:-default}`: used when VAR is unset or empty. */
  defaultValue?: string;
}

/** An environment variable an entry needs. */
export interface EnvNeed {
  name: string;
  /** False when every use has a `:-default`, so the entry starts without it. */
  required: boolean;
  /** The first default written for it, to show. */
  defaultValue?: string;
  /** Where it is used: `command`, `args[1]`, `env.API_KEY`, `cwd`, `url`, `headers.Authorization`. */
  fields: string[];
}

/** A VS Code input an entry needs, described by the file's input definition when there is one. */
export interface InputNeed {
  id: string;
  /** Whether the file defined this input; VS Code cannot prompt for an undefined one either. */
  defined: boolean;
  description?: string;
  /** Whether the value is a secret, to be asked for in a hidden field. */
  password: boolean;
  /** The pre-filled answer of the definition; never used without asking. */
  defaultValue?: string;
  options?: string[];
  fields: string[];
}

/** A host variable such as `${workspaceFolder}` or `${userHome}`: Patchbay has no value for it on its own. */
export interface VariableNeed {
  name: string;
  fields: string[];
}

/** Everything an entry needs before it can start, by kind, in order of first use. */
export interface PlaceholderNeeds {
  env: EnvNeed[];
  inputs: InputNeed[];
  variables: VariableNeed[];
}

/** The values to fill placeholders with. A name that is absent (undefined) is missing; an empty string is a value. */
export interface PlaceholderValues {
  env: Readonly<Record<string, string | undefined>>;
  inputs?: Readonly<Record<string, string | undefined>>;
  variables?: Readonly<Record<string, string | undefined>>;
  /**
   * Environment values that must never be filled in (the proxy's own token, under whatever name it sits): such a
   * placeholder fails the resolution, naming the variable, instead of handing the value to a server.
   */
  isPrivateEnv?: (name: string, value: string) => boolean;
}

/** A placeholder that had no value. */
export interface MissingValue {
  kind: PlaceholderKind;
  name: string;
  fields: string[];
}

/** The entry with every placeholder filled in, or what was missing (or wrong after filling in). */
export type ResolveOutcome = { ok: true; entry: ServerEntry } | { ok: false; missing: MissingValue[]; message: string };

/** VS Code's predefined variables: `${workspaceFolder}` is the host's to fill, not an environment variable. */
const HOST_VARIABLES = new Set([
  'workspaceFolder',
  'workspaceFolderBasename',
  'workspaceRoot',
  'userHome',
  'cwd',
  'execPath',
  'pathSeparator',
  '/',
  'file',
  'fileWorkspaceFolder',
  'relativeFile',
  'relativeFileDirname',
  'fileBasename',
  'fileBasenameNoExtension',
  'fileExtname',
  'fileDirname',
  'fileDirnameBasename',
  'lineNumber',
  'columnNumber',
  'selectedText',
  'defaultBuildTask',
]);

const PLACEHOLDER = /\$\{([^{}]+)\}/g;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ENV_WITH_DEFAULT = /^([A-Za-z_][A-Za-z0-9_]*):-(.*)$/s;

/**
 * Finds the placeholders in one string, in order: `${env:VAR}`, `${VAR}` and `${VAR:-default}` are environment
 * variables, `${input:id}` a VS Code input, and anything else between `${` and `}` (`${workspaceFolder}`,
 * `${file:/path}`) a host variable.
 */
export function parsePlaceholders(value: string): Placeholder[] {
  return [...value.matchAll(PLACEHOLDER)].map((match) => classify(match[0], match[1] as string));
}

function classify(text: string, inner: string): Placeholder {
  if (inner.startsWith('env:') && inner.length > 'env:'.length) return { text, kind: 'env', name: inner.slice('env:'.length) };
  if (inner.startsWith('input:') && inner.length > 'input:'.length) return { text, kind: 'input', name: inner.slice('input:'.length) };
  const withDefault = ENV_WITH_DEFAULT.exec(inner);
  if (withDefault) return { text, kind: 'env', name: withDefault[1] as string, defaultValue: withDefault[2] as string };
  if (ENV_NAME.test(inner) && !HOST_VARIABLES.has(inner)) return { text, kind: 'env', name: inner };
  return { text, kind: 'variable', name: inner };
}

/**
 * The value with every `${VAR:-default}` replaced by its default and other placeholders kept: what the import
 * preview shows of a url, so `${API_BASE:-https://api.example.com}/mcp` reads as the address it goes to by default.
 */
export function fillDefaults(value: string): string {
  return value.replace(PLACEHOLDER, (text, inner: string) => classify(text, inner).defaultValue ?? text);
}

/** Every string of an entry that a host fills placeholders in, with the field it sits in. */
function placeholderFields(entry: ServerEntry): Array<[field: string, value: string]> {
  const fields: Array<[string, string]> = [];
  if (entry.transport === 'stdio') {
    fields.push(['command', entry.command]);
    entry.args.forEach((arg, index) => fields.push([`args[${index}]`, arg]));
    for (const [key, value] of Object.entries(entry.env)) fields.push([`env.${key}`, value]);
    if (entry.cwd !== undefined) fields.push(['cwd', entry.cwd]);
  } else {
    fields.push(['url', entry.url]);
    for (const [key, value] of Object.entries(entry.headers)) fields.push([`headers.${key}`, value]);
  }
  return fields;
}

/**
 * Lists what an entry needs before it can start: environment variables by name (and whether a default covers
 * them), VS Code inputs by id (described by `inputs`, the definitions read from the same file, when known), and
 * host variables. Looks at command, args, env values, cwd, url and header values.
 */
export function findPlaceholders(entry: ServerEntry, inputs: readonly InputDefinition[] = []): PlaceholderNeeds {
  const env = new Map<string, EnvNeed>();
  const inputNeeds = new Map<string, InputNeed>();
  const variables = new Map<string, VariableNeed>();
  for (const [field, value] of placeholderFields(entry)) {
    for (const placeholder of parsePlaceholders(value)) {
      if (placeholder.kind === 'env') {
        const need = env.get(placeholder.name) ?? { name: placeholder.name, required: false, fields: [] };
        if (placeholder.defaultValue === undefined) need.required = true;
        else need.defaultValue ??= placeholder.defaultValue;
        addField(need.fields, field);
        env.set(need.name, need);
      } else if (placeholder.kind === 'input') {
        const need = inputNeeds.get(placeholder.name) ?? describeInput(placeholder.name, inputs);
        addField(need.fields, field);
        inputNeeds.set(need.id, need);
      } else {
        const need = variables.get(placeholder.name) ?? { name: placeholder.name, fields: [] };
        addField(need.fields, field);
        variables.set(need.name, need);
      }
    }
  }
  return { env: [...env.values()], inputs: [...inputNeeds.values()], variables: [...variables.values()] };
}

function describeInput(id: string, inputs: readonly InputDefinition[]): InputNeed {
  const definition = inputs.find((input) => input.id === id);
  if (!definition) return { id, defined: false, password: false, fields: [] };
  const need: InputNeed = { id, defined: true, password: definition.password, fields: [] };
  if (definition.description !== undefined) need.description = definition.description;
  if (definition.defaultValue !== undefined) need.defaultValue = definition.defaultValue;
  if (definition.options !== undefined) need.options = [...definition.options];
  return need;
}

function addField(fields: string[], field: string): void {
  if (!fields.includes(field)) fields.push(field);
}

/**
 * Fills in an entry's placeholders from the given values, on a copy. A value that is missing is reported by name
 * and never replaced by an empty string; `${VAR:-default}` takes the default when VAR is unset or empty. Filled-in
 * values are not searched for placeholders again. The result is validated like any catalog entry, so a url that
 * is no URL once filled in is reported too.
 */
export function resolvePlaceholders(entry: ServerEntry, values: PlaceholderValues): ResolveOutcome {
  const missing = new Map<string, MissingValue>();
  const refused = new Map<string, { text: string; fields: string[] }>();
  const fill = (field: string, value: string): string =>
    value.replace(PLACEHOLDER, (text, inner: string) => {
      const placeholder = classify(text, inner);
      const found = lookUp(placeholder, values);
      if (found !== undefined && placeholder.kind === 'env' && values.isPrivateEnv?.(placeholder.name, found)) {
        const report = refused.get(placeholder.name) ?? { text, fields: [] };
        addField(report.fields, field);
        refused.set(placeholder.name, report);
        return '';
      }
      if (found !== undefined) return found;
      const key = `${placeholder.kind}\u0000${placeholder.name}`;
      const report = missing.get(key) ?? { kind: placeholder.kind, name: placeholder.name, fields: [] };
      addField(report.fields, field);
      missing.set(key, report);
      return text;
    });

  const filled = fillEntry(entry, fill);
  if (refused.size > 0) {
    const names = [...refused.entries()].map(([name, report]) => `${report.text} (the environment variable ${name}, in ${report.fields.join(', ')})`);
    return {
      ok: false,
      missing: [],
      message: `server "${entry.name}" cannot use ${names.join(', ')}: it holds Patchbay's own access token, which is never given to a server`,
    };
  }
  if (missing.size > 0) {
    const list = [...missing.values()];
    const unanswered = list.some((item) => item.kind === 'input') ? '; an input is asked for when the server is connected in Patchbay, and has no answer yet' : '';
    return { ok: false, missing: list, message: `server "${entry.name}" needs ${list.map((item) => describeMissing(item, entry)).join(', ')}${unanswered}` };
  }
  const wrongAfterFilling = describeFilledRemote(entry, filled);
  if (wrongAfterFilling) return { ok: false, missing: [], message: `server "${entry.name}": ${wrongAfterFilling}` };
  const parsed = ServerEntrySchema.safeParse(filled);
  if (!parsed.success) {
    return { ok: false, missing: [], message: `server "${entry.name}", once its placeholders are filled in: ${describeEntryIssues(parsed.error.issues, filled)}` };
  }
  return { ok: true, entry: parsed.data };
}

function lookUp(placeholder: Placeholder, values: PlaceholderValues): string | undefined {
  const source = placeholder.kind === 'env' ? values.env : placeholder.kind === 'input' ? values.inputs : values.variables;
  const value = source && Object.hasOwn(source, placeholder.name) ? source[placeholder.name] : undefined;
  if (placeholder.defaultValue !== undefined && (value === undefined || value === '')) return placeholder.defaultValue;
  return value;
}

function fillEntry(entry: ServerEntry, fill: (field: string, value: string) => string): ServerEntry & Record<string, unknown> {
  const fillMap = (prefix: string, map: Record<string, string>): Record<string, string> =>
    Object.fromEntries(Object.entries(map).map(([key, value]) => [key, fill(`${prefix}.${key}`, value)]));
  if (entry.transport === 'stdio') {
    const filled = { ...entry, command: fill('command', entry.command), args: entry.args.map((arg, index) => fill(`args[${index}]`, arg)), env: fillMap('env', entry.env) };
    if (entry.cwd !== undefined) filled.cwd = fill('cwd', entry.cwd);
    return filled;
  }
  return { ...entry, url: fill('url', entry.url), headers: fillMap('headers', entry.headers) };
}

function describeMissing(missing: MissingValue, entry: ServerEntry): string {
  switch (missing.kind) {
    case 'env':
      return `the environment variable ${missing.name}`;
    case 'input': {
      const description = entry.inputs?.find((input) => input.id === missing.name)?.description;
      return description ? `the input "${missing.name}" (${description})` : `the input "${missing.name}"`;
    }
    default:
      return `a value for \${${missing.name}}`;
  }
}

/**
 * The catalog keeps a url with placeholders as written, so it is checked here, once filled in: what is wrong with
 * the filled url, or with a header value a placeholder put a line break in (no HTTP header can carry one).
 * Header values are not shown, since they are often secrets.
 */
function describeFilledRemote(written: ServerEntry, filled: ServerEntry): string | undefined {
  if (written.transport === 'stdio' || filled.transport === 'stdio') return undefined;
  const url = filled.url.trim();
  const problem = remoteUrlProblem(url);
  if (problem !== undefined) {
    // Only the url as written: a filled-in one may carry a secret from the environment (`?key=${API_KEY}`).
    const shown = written.url.trim() === url ? `its url "${url}"` : `its url ${written.url}, once filled in,`;
    return `${shown} ${problem}; a remote server needs an http:// or https:// URL`;
  }
  for (const [name, value] of Object.entries(filled.headers)) {
    if (/[\r\n\0]/.test(value)) {
      return `its header ${name}, once filled in, holds a line break or NUL character, which no HTTP header can carry`;
    }
  }
  return undefined;
}
