/**
 * Compares two JSON Schemas of one tool's input or output and says what each difference does to an agent.
 *
 * The rules, by direction:
 * - input (what a client sends, what the server accepts): accepting fewer values is breaking (a call that worked is
 *   refused): a type narrowed (`number` → `integer`, `["string","null"]` → `"string"`), an enum or const added or
 *   shrunk, a bound tightened (minimum up, maxLength down, ...), a pattern or format added or changed,
 *   additionalProperties turned off, an argument newly required (a required argument added), an argument removed (a
 *   call that passes it is refused by a strict server or silently loses its meaning), a default changed (a call that
 *   leaves the argument out now gets another behaviour). Accepting more is additive: a type widened, an enum grown or
 *   dropped, a bound loosened, an optional argument added, a required one made optional.
 * - output (what the server promises in structuredContent, what a consumer relies on): promising less is breaking: a
 *   property removed, a property no longer required (it may now be missing), a type widened (a consumer may get a
 *   value it does not handle), an enum grown, a bound loosened, additionalProperties turned on is not (a consumer
 *   reads the properties it knows). Promising more is additive: a property added, a property newly required, a type
 *   narrowed, an enum shrunk, a bound tightened.
 * - both: a type changed to an unrelated one (neither narrower nor wider) is breaking; descriptions, titles, examples
 *   and comments are cosmetic; composite keywords this file does not reason about (anyOf, oneOf, allOf, not, $ref,
 *   $defs, patternProperties, prefixItems, if/then/else, ...) are breaking when they change at all, said so; the
 *   ±Number.MAX_SAFE_INTEGER bounds zod writes for an integer are no bound (so `.int()` reads as a type change only).
 *
 * Pure: no Node or DOM API, so the app and the CLI classify alike.
 */

export type ChangeKind = 'breaking' | 'additive' | 'cosmetic';
export type SchemaDirection = 'input' | 'output';

export interface SchemaChange {
  kind: ChangeKind;
  /** Segments from the schema's root to the keyword that changed, e.g. `['properties', 'count', 'type']`. */
  path: string[];
  summary: string;
  before?: unknown;
  after?: unknown;
}

type Schema = Record<string, unknown>;

/** Keywords whose changes are wording only. */
const COSMETIC_KEYWORDS = new Set(['description', 'title', 'examples', '$comment', 'markdownDescription']);
/** Keywords compared by the rules below (everything else falls to the generic comparison). */
const COMPARED_KEYWORDS = new Set([
  'type', 'enum', 'const', 'required', 'properties', 'additionalProperties', 'items', 'default', 'pattern', 'format',
  'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'minLength', 'maxLength', 'minItems', 'maxItems',
]);
/** Keywords that say nothing about which values are valid. */
const IGNORED_KEYWORDS = new Set(['$schema', '$id']);
/** Lower bounds: raising one accepts fewer values. */
const LOWER_BOUNDS = ['minimum', 'exclusiveMinimum', 'minLength', 'minItems'] as const;
/** Upper bounds: lowering one accepts fewer values. */
const UPPER_BOUNDS = ['maximum', 'exclusiveMaximum', 'maxLength', 'maxItems'] as const;

interface Context {
  direction: SchemaDirection;
  path: string[];
  /** Where in the arguments or output we are, as a person reads it: `count`, `options.depth`, `tags[]`; '' at the root. */
  at: string;
  out: SchemaChange[];
}

/** Every difference between two schemas of one direction, classified; [] when they say the same. */
export function compareJsonSchemas(before: unknown, after: unknown, direction: SchemaDirection): SchemaChange[] {
  const out: SchemaChange[] = [];
  compareNode(asSchema(before), asSchema(after), { direction, path: [], at: '', out });
  return out;
}

/** `true` and `{}` accept anything; `false` nothing (written as `{ not: {} }` so it compares as a composite). */
function asSchema(value: unknown): Schema {
  if (value === false) return { not: {} };
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Schema) : {};
}

/** What a change of accepted values means in this direction: fewer accepted values breaks an input, more an output. */
function kindOf(relation: 'narrowed' | 'widened' | 'changed', direction: SchemaDirection): ChangeKind {
  if (relation === 'changed') return 'breaking';
  if (direction === 'input') return relation === 'narrowed' ? 'breaking' : 'additive';
  return relation === 'widened' ? 'breaking' : 'additive';
}

function subject(ctx: Context): string {
  if (ctx.direction === 'input') return ctx.at === '' ? 'the input schema' : `argument "${ctx.at}"`;
  return ctx.at === '' ? 'the output schema' : `output property "${ctx.at}"`;
}

function push(ctx: Context, kind: ChangeKind, keyword: string[], summary: string, before: unknown, after: unknown): void {
  ctx.out.push({ kind, path: [...ctx.path, ...keyword], summary, ...(before !== undefined ? { before } : {}), ...(after !== undefined ? { after } : {}) });
}

function compareNode(before: Schema, after: Schema, ctx: Context): void {
  compareTypes(before, after, ctx);
  compareValueSets(before, after, ctx);
  compareBounds(before, after, ctx);
  compareStringRules(before, after, ctx);
  compareDefault(before, after, ctx);
  compareProperties(before, after, ctx);
  compareItems(before, after, ctx);
  for (const keyword of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (COMPARED_KEYWORDS.has(keyword) || IGNORED_KEYWORDS.has(keyword) || sameJson(before[keyword], after[keyword])) continue;
    if (COSMETIC_KEYWORDS.has(keyword)) {
      push(ctx, 'cosmetic', [keyword], `${keyword} of ${subject(ctx)} ${changeVerb(before[keyword], after[keyword])}`, before[keyword], after[keyword]);
    } else {
      push(ctx, 'breaking', [keyword], `"${keyword}" of ${subject(ctx)} ${changeVerb(before[keyword], after[keyword])} (not compared in detail, so taken as breaking)`, before[keyword], after[keyword]);
    }
  }
}

function changeVerb(before: unknown, after: unknown): string {
  if (before === undefined) return 'added';
  if (after === undefined) return 'removed';
  return 'changed';
}

// ---- type -----------------------------------------------------------------------------------------------------

/** The types a schema allows; undefined when it names none (any type). */
function typesOf(schema: Schema): string[] | undefined {
  const { type } = schema;
  if (typeof type === 'string') return [type];
  if (Array.isArray(type)) return type.filter((entry): entry is string => typeof entry === 'string');
  return undefined;
}

/** Whether a type list (undefined: any) accepts values of type `type`; `number` accepts integers. */
function allows(types: string[] | undefined, type: string): boolean {
  return types === undefined || types.includes(type) || (type === 'integer' && types.includes('number'));
}

/** Whether every value of `inner` is a value of `outer`. */
function typesWithin(inner: string[] | undefined, outer: string[] | undefined): boolean {
  if (outer === undefined) return true;
  if (inner === undefined) return false;
  return inner.every((type) => allows(outer, type));
}

function describeTypes(types: string[] | undefined): string {
  return types === undefined ? 'any type' : types.join(' | ');
}

function compareTypes(before: Schema, after: Schema, ctx: Context): void {
  const was = typesOf(before);
  const is = typesOf(after);
  if (sameJson(was === undefined ? undefined : [...was].sort(), is === undefined ? undefined : [...is].sort())) return;
  const narrowed = typesWithin(is, was);
  const widened = typesWithin(was, is);
  const relation = narrowed ? 'narrowed' : widened ? 'widened' : 'changed';
  push(ctx, kindOf(relation, ctx.direction), ['type'], `type of ${subject(ctx)} ${relation}: ${describeTypes(was)} → ${describeTypes(is)}`, before.type, after.type);
}

// ---- enum and const -------------------------------------------------------------------------------------------

/** The values an enum or const allows; undefined when it has neither (no restriction). */
function allowedValues(schema: Schema): unknown[] | undefined {
  if ('const' in schema) return [schema.const];
  return Array.isArray(schema.enum) ? schema.enum : undefined;
}

function compareValueSets(before: Schema, after: Schema, ctx: Context): void {
  if (sameJson(before.enum, after.enum) && sameJson(before.const, after.const)) return;
  const was = allowedValues(before);
  const is = allowedValues(after);
  const keyword = 'const' in after || ('const' in before && !('enum' in after)) ? 'const' : 'enum';
  const contains = (values: unknown[], value: unknown) => values.some((entry) => sameJson(entry, value));
  let relation: 'narrowed' | 'widened' | 'changed';
  if (was === undefined) relation = 'narrowed';
  else if (is === undefined) relation = 'widened';
  else if (is.every((value) => contains(was, value))) relation = 'narrowed';
  else if (was.every((value) => contains(is, value))) relation = 'widened';
  else relation = 'changed';
  if (was !== undefined && is !== undefined && relation !== 'changed' && was.length === is.length) return; // the same values in another order
  const show = (values: unknown[] | undefined) => (values === undefined ? 'any value' : values.map((value) => JSON.stringify(value)).join(', '));
  push(ctx, kindOf(relation, ctx.direction), [keyword], `allowed values of ${subject(ctx)} ${relation}: ${show(was)} → ${show(is)}`, was, is);
}

// ---- bounds, pattern, format, default -------------------------------------------------------------------------

function compareBounds(before: Schema, after: Schema, ctx: Context): void {
  for (const keyword of [...LOWER_BOUNDS, ...UPPER_BOUNDS]) {
    const was = boundOf(before[keyword]);
    const is = boundOf(after[keyword]);
    if (was === is) continue;
    const lower = (LOWER_BOUNDS as readonly string[]).includes(keyword);
    // A bound added restricts; removed relaxes; moved, by which way it moved.
    const tighter = was === undefined ? true : is === undefined ? false : lower ? is > was : is < was;
    const relation = tighter ? 'narrowed' : 'widened';
    push(ctx, kindOf(relation, ctx.direction), [keyword], `${keyword} of ${subject(ctx)} ${changeVerb(was, is)} (${tighter ? 'tighter' : 'looser'}): ${was ?? 'none'} → ${is ?? 'none'}`, was, is);
  }
}

/** A numeric bound; the ±MAX_SAFE_INTEGER that zod writes for `.int()` bounds nothing a JSON number can say. */
function boundOf(value: unknown): number | undefined {
  return typeof value === 'number' && Math.abs(value) < Number.MAX_SAFE_INTEGER ? value : undefined;
}

function compareStringRules(before: Schema, after: Schema, ctx: Context): void {
  for (const keyword of ['pattern', 'format'] as const) {
    const was = before[keyword];
    const is = after[keyword];
    if (sameJson(was, is)) continue;
    const relation = was === undefined ? 'narrowed' : is === undefined ? 'widened' : 'changed';
    push(ctx, kindOf(relation, ctx.direction), [keyword], `${keyword} of ${subject(ctx)} ${changeVerb(was, is)}: ${JSON.stringify(was ?? null)} → ${JSON.stringify(is ?? null)}`, was, is);
  }
}

function compareDefault(before: Schema, after: Schema, ctx: Context): void {
  if (sameJson(before.default, after.default)) return;
  // Only an input's default changes what a call does; an output's default is documentation.
  const kind = ctx.direction === 'input' && before.default !== undefined ? 'breaking' : ctx.direction === 'input' ? 'additive' : 'cosmetic';
  push(ctx, kind, ['default'], `default of ${subject(ctx)} ${changeVerb(before.default, after.default)}: ${JSON.stringify(before.default ?? null)} → ${JSON.stringify(after.default ?? null)}`, before.default, after.default);
}

// ---- objects ----------------------------------------------------------------------------------------------------

function propertiesOf(schema: Schema): Record<string, unknown> {
  const { properties } = schema;
  return typeof properties === 'object' && properties !== null && !Array.isArray(properties) ? (properties as Record<string, unknown>) : {};
}

function requiredOf(schema: Schema): Set<string> {
  return new Set(Array.isArray(schema.required) ? schema.required.filter((name): name is string => typeof name === 'string') : []);
}

function child(ctx: Context, segments: string[], at: string): Context {
  return { ...ctx, path: [...ctx.path, ...segments], at };
}

function compareProperties(before: Schema, after: Schema, ctx: Context): void {
  const was = propertiesOf(before);
  const is = propertiesOf(after);
  const wasRequired = requiredOf(before);
  const isRequired = requiredOf(after);
  const input = ctx.direction === 'input';
  const names = new Set([...Object.keys(was), ...Object.keys(is), ...wasRequired, ...isRequired]);
  for (const name of names) {
    const at = ctx.at === '' ? name : `${ctx.at}.${name}`;
    const inner = child(ctx, ['properties', name], at);
    const label = subject(inner);
    const existed = name in was;
    const exists = name in is;
    if (existed && !exists) {
      push(ctx, 'breaking', ['properties', name], `${label} removed`, was[name], undefined);
      continue;
    }
    if (!existed && exists) {
      if (input) {
        const required = isRequired.has(name);
        push(ctx, required ? 'breaking' : 'additive', ['properties', name], `${required ? 'required' : 'optional'} ${label} added`, undefined, is[name]);
      } else push(ctx, 'additive', ['properties', name], `${label} added`, undefined, is[name]);
      continue;
    }
    if (existed && exists) compareNode(asSchema(was[name]), asSchema(is[name]), inner);
    if (wasRequired.has(name) === isRequired.has(name)) continue;
    const nowRequired = isRequired.has(name);
    const lists = [[...wasRequired], [...isRequired]] as const;
    if (input) push(ctx, nowRequired ? 'breaking' : 'additive', ['required'], `${label} is ${nowRequired ? 'now required' : 'now optional'}`, ...lists);
    else push(ctx, nowRequired ? 'additive' : 'breaking', ['required'], `${label} is ${nowRequired ? 'now always present' : 'no longer always present (no longer required)'}`, ...lists);
  }
  compareAdditionalProperties(before, after, ctx);
}

function compareAdditionalProperties(before: Schema, after: Schema, ctx: Context): void {
  const was = before.additionalProperties;
  const is = after.additionalProperties;
  if (sameJson(was, is)) return;
  const closed = (value: unknown) => value === false;
  if (typeof was === 'object' && was !== null && typeof is === 'object' && is !== null) {
    compareNode(asSchema(was), asSchema(is), child(ctx, ['additionalProperties'], ctx.at === '' ? '*' : `${ctx.at}.*`));
    return;
  }
  const relation = closed(is) && !closed(was) ? 'narrowed' : closed(was) && !closed(is) ? 'widened' : 'changed';
  // Extra properties in an output are read past by consumers: opening an output is not breaking.
  const kind = ctx.direction === 'output' && relation === 'widened' ? 'additive' : kindOf(relation, ctx.direction);
  push(ctx, kind, ['additionalProperties'], `additionalProperties of ${subject(ctx)} ${relation === 'narrowed' ? 'turned off' : relation === 'widened' ? 'turned on' : 'changed'}`, was, is);
}

// ---- arrays -----------------------------------------------------------------------------------------------------

function compareItems(before: Schema, after: Schema, ctx: Context): void {
  const was = before.items;
  const is = after.items;
  if (sameJson(was, is)) return;
  if (Array.isArray(was) || Array.isArray(is)) {
    push(ctx, 'breaking', ['items'], `tuple items of ${subject(ctx)} changed (not compared in detail, so taken as breaking)`, was, is);
    return;
  }
  compareNode(asSchema(was), asSchema(is), child(ctx, ['items'], `${ctx.at}[]`));
}

// ---- helpers ----------------------------------------------------------------------------------------------------

/** Equality of two JSON values, key order aside. */
export function sameJson(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

function canonicalJson(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, entry]) => entry !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, entry]) => `${JSON.stringify(key)}:${canonicalJson(entry)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
