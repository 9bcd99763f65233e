import type { ServerEntry } from '../../../src-shared/catalog';
import type { CatalogStore } from '../catalog/catalog-store';
import { decideImport, ImportError, type ImportDecisions } from './import-decisions';
import type { ImportPlan } from './import-plan';

/** What `applyImport` needs of the catalog: its entries, and one all-or-nothing replacement. */
export type ImportTarget = Pick<CatalogStore, 'updateAll'>;

/** What an import did. */
export interface ImportResult {
  /** The catalog as saved. */
  catalog: ServerEntry[];
  /** Names of servers added under their own name. */
  added: string[];
  /** Names of catalog servers that were replaced. */
  replaced: string[];
  renamed: Array<{ from: string; to: string; file: string }>;
  skipped: Array<{ name: string; file: string }>;
}

/**
 * Applies an import plan with a decision for each conflict, all or nothing: every decision is checked first, and
 * the catalog is then written once, with `catalogStore.updateAll`. Replaced servers keep their place in the
 * catalog; new ones are appended in file order.
 * @throws ImportError listing every bad decision, or the names that changed in the catalog since the plan was
 * made; nothing is written then. A CatalogError from the store (an entry it refuses) also leaves the file as it was.
 */
export async function applyImport(plan: ImportPlan, decisions: ImportDecisions, catalogStore: ImportTarget): Promise<ImportResult> {
  const actions = decideImport(plan, decisions);
  const replacements = new Map(actions.filter((action) => action.kind === 'replace').map((action) => [action.entry.name, action.entry]));
  const additions = actions.filter((action) => action.kind === 'add' || action.kind === 'rename').map((action) => action.entry);

  // Computed inside the store's write queue, so a save made meanwhile (another window) is seen, not overwritten.
  const catalog = await catalogStore.updateAll((current) => {
    const currentNames = new Set(current.map((entry) => entry.name));
    const stale: string[] = [];
    for (const action of actions) {
      if (action.kind === 'replace' && !currentNames.has(action.entry.name)) {
        stale.push(`server "${action.entry.name}" was removed from the catalog after the import was planned; plan the import again`);
      }
      if ((action.kind === 'add' || action.kind === 'rename') && currentNames.has(action.entry.name)) {
        stale.push(`server "${action.entry.name}" was added to the catalog after the import was planned; plan the import again`);
      }
    }
    if (stale.length > 0) throw new ImportError(stale);
    return [...current.map((entry) => replacements.get(entry.name) ?? entry), ...additions];
  });

  return {
    catalog,
    added: actions.filter((action) => action.kind === 'add').map((action) => action.entry.name),
    replaced: [...replacements.keys()],
    renamed: actions.filter((action) => action.kind === 'rename').map((action) => ({ from: action.originalName, to: action.entry.name, file: action.file })),
    skipped: actions.filter((action) => action.kind === 'skip').map((action) => ({ name: action.originalName, file: action.file })),
  };
}
