import type { ServerEntry } from '../../../src-shared/catalog';
import type { ImportPlan, PlannedEntry } from './import-plan';
import { MAX_NAME_LENGTH } from './suggest-names';

/** What to do with one incoming server whose name needs a decision. */
export type EntryDecision =
  /** Take the name: the server replaces the catalog's one of that name (or, among files, is the one that keeps it). */
  | { action: 'replace' }
  /** Do not import it. */
  | { action: 'skip' }
  /** Import it under another name. */
  | { action: 'rename'; newName: string };

/**
 * The decision for one name: a single decision when one file has it, or one per file (by path) when several do.
 * Names without a conflict need no decision; `skip` and `rename` may still be given for them.
 */
export type ImportDecision = EntryDecision | { perFile: Readonly<Record<string, EntryDecision>> };

/** Decisions by server name, as the plan names servers. */
export type ImportDecisions = Readonly<Record<string, ImportDecision>>;

/** One entry's fate once the decisions are applied. */
export interface ImportAction {
  kind: 'add' | 'replace' | 'rename' | 'skip';
  /** The entry as it will be stored (renamed when `kind` is `rename`). */
  entry: ServerEntry;
  /** Its name in the file. */
  originalName: string;
  file: string;
}

/** Bad decisions, or a catalog that changed under the plan: nothing was written. `problems` has one sentence each. */
export class ImportError extends Error {
  override readonly name = 'ImportError';
  constructor(readonly problems: readonly string[]) {
    super(problems.length === 1 ? `cannot import: ${problems[0]}` : `cannot import: ${problems.length} problems: ${problems.join('; ')}`);
  }
}

/**
 * Checks every decision against the plan and turns plan + decisions into one action per planned entry.
 * @throws ImportError listing every problem found, not just the first.
 */
export function decideImport(plan: ImportPlan, decisions: ImportDecisions): ImportAction[] {
  const problems: string[] = [];
  const byName = groupByName(plan.entries);
  const inCatalog = new Set(plan.catalogNames);

  for (const name of Object.keys(decisions)) {
    if (!byName.has(name)) problems.push(`there is no server named "${name}" in this import`);
  }

  const actions: ImportAction[] = [];
  for (const [name, occurrences] of byName) {
    const decision = Object.hasOwn(decisions, name) ? decisions[name] : undefined;
    const perEntry = expandDecision(name, occurrences, decision, inCatalog.has(name), problems);
    if (!perEntry) continue;
    const keepers = occurrences.filter((_, index) => ['add', 'replace'].includes(perEntry[index]?.action ?? ''));
    if (keepers.length > 1) problems.push(`server "${name}": only one file's server can keep the name (${keepers.map((entry) => entry.file).join(' and ')} both do)`);
    occurrences.forEach((planned, index) => actions.push(toAction(planned, perEntry[index] as ResolvedDecision, inCatalog.has(name))));
  }

  checkNewNames(actions, plan, problems);
  if (problems.length > 0) throw new ImportError(problems);
  return actions;
}

type ResolvedDecision = EntryDecision | { action: 'add' };

function groupByName(entries: readonly PlannedEntry[]): Map<string, PlannedEntry[]> {
  const byName = new Map<string, PlannedEntry[]>();
  for (const entry of entries) byName.set(entry.name, [...(byName.get(entry.name) ?? []), entry]);
  return byName;
}

/** One decision per occurrence of `name`, or undefined (with problems) when the decision does not fit. */
function expandDecision(
  name: string,
  occurrences: readonly PlannedEntry[],
  decision: ImportDecision | undefined,
  inCatalog: boolean,
  problems: string[],
): ResolvedDecision[] | undefined {
  const files = occurrences.map((entry) => entry.file);
  const conflicted = inCatalog || occurrences.length > 1;
  if (decision === undefined) {
    if (!conflicted) return [{ action: 'add' }];
    problems.push(
      inCatalog
        ? `server "${name}" is already in the catalog: choose replace, rename or skip`
        : `server "${name}" is in ${files.join(' and ')}: choose for each file whether it keeps the name (replace), is renamed or is skipped`,
    );
    return undefined;
  }
  if (typeof decision !== 'object' || decision === null) {
    problems.push(`server "${name}": ${JSON.stringify(decision)} is not a decision (use replace, rename or skip)`);
    return undefined;
  }
  if ('perFile' in decision) {
    const perFile: unknown = decision.perFile;
    if (typeof perFile !== 'object' || perFile === null || Array.isArray(perFile)) {
      problems.push(`server "${name}": perFile must map each file's path to a decision`);
      return undefined;
    }
    const unknown = Object.keys(perFile).filter((path) => !files.includes(path));
    for (const path of unknown) problems.push(`server "${name}": the file ${path} has no server by that name`);
    const missing = files.filter((path) => !Object.hasOwn(perFile, path));
    for (const path of missing) problems.push(`server "${name}": no decision for the one in ${path}`);
    if (unknown.length > 0 || missing.length > 0) return undefined;
    const byPath = perFile as Readonly<Record<string, EntryDecision>>;
    const resolved = files.map((path) => checkEntryDecision(name, byPath[path], inCatalog, occurrences.length, problems));
    return resolved.every((entry) => entry !== undefined) ? resolved : undefined;
  }
  if (occurrences.length > 1) {
    problems.push(`server "${name}" is in ${files.join(' and ')}: give a decision for each file (perFile)`);
    return undefined;
  }
  const resolved = checkEntryDecision(name, decision, inCatalog, 1, problems);
  return resolved ? [resolved] : undefined;
}

function checkEntryDecision(name: string, decision: EntryDecision | undefined, inCatalog: boolean, occurrences: number, problems: string[]): EntryDecision | undefined {
  const action = typeof decision === 'object' && decision !== null ? (decision as { action?: unknown }).action : undefined;
  switch (action) {
    case 'skip':
      return { action: 'skip' };
    case 'replace':
      if (!inCatalog && occurrences === 1) {
        problems.push(`server "${name}": there is no server by that name in the catalog to replace`);
        return undefined;
      }
      return { action: 'replace' };
    case 'rename': {
      const newName = (decision as { newName?: unknown }).newName;
      if (typeof newName !== 'string') {
        problems.push(`server "${name}": a rename needs the new name`);
        return undefined;
      }
      return { action: 'rename', newName: newName.trim() };
    }
    default:
      problems.push(`server "${name}": ${JSON.stringify(action ?? decision)} is not a decision (use replace, rename or skip)`);
      return undefined;
  }
}

function toAction(planned: PlannedEntry, decision: ResolvedDecision, inCatalog: boolean): ImportAction {
  const base = { originalName: planned.name, file: planned.file };
  switch (decision.action) {
    case 'rename':
      return { ...base, kind: 'rename', entry: { ...structuredClone(planned.entry), name: decision.newName } };
    case 'replace':
      // Among files with no catalog entry of that name, "replace" means "this one keeps the name": an add.
      return { ...base, kind: inCatalog ? 'replace' : 'add', entry: structuredClone(planned.entry) };
    default:
      return { ...base, kind: decision.action, entry: structuredClone(planned.entry) };
  }
}

/** Rename targets must be valid names, free in the catalog, and not given to any other imported server. */
function checkNewNames(actions: readonly ImportAction[], plan: ImportPlan, problems: string[]): void {
  const catalogNames = new Set(plan.catalogNames);
  const finalNames = new Map<string, number>();
  for (const action of actions) {
    if (action.kind !== 'skip') finalNames.set(action.entry.name, (finalNames.get(action.entry.name) ?? 0) + 1);
  }
  for (const action of actions) {
    if (action.kind !== 'rename') continue;
    const label = `rename of "${action.originalName}" from ${action.file}`;
    const newName = action.entry.name;
    if (newName === '') problems.push(`${label}: the new name is empty`);
    else if (newName.length > MAX_NAME_LENGTH) problems.push(`${label}: the new name is longer than ${MAX_NAME_LENGTH} characters`);
    else if (newName === action.originalName) problems.push(`${label}: the new name is the same as the old one`);
    else if (catalogNames.has(newName)) problems.push(`${label}: "${newName}" is already in the catalog`);
    else if ((finalNames.get(newName) ?? 0) > 1) problems.push(`${label}: "${newName}" is also the name of another imported server`);
  }
}
