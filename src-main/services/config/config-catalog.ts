import type { ServerEntry } from '../../../src-shared/catalog';
import type { CatalogSource } from '../proxy/proxy-server';

/**
 * A fixed catalog for the proxy, from entries read once (for example from a config file). Disabled entries stay
 * in it, so the proxy can say "disabled" rather than "unknown".
 */
export function createStaticCatalog(entries: readonly ServerEntry[]): CatalogSource {
  const byName = new Map(entries.map((entry) => [entry.name, entry]));
  return {
    list: () => [...byName.values()],
    get: (name) => byName.get(name),
  };
}
