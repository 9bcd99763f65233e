import { SECRET_MASK, type ServerEntry } from '../../../src-shared/catalog';
import { CatalogError } from './catalog-store';

/**
 * An entry the renderer sent back (Add or Edit), with every SECRET_MASK replaced by the value stored for it: the
 * user left that secret untouched. A mask with no stored secret behind it (a new server, a renamed variable, a
 * value that was never secret) cannot be kept and is refused with a sentence naming it.
 */
export function restoreMaskedSecrets(entry: ServerEntry, stored: ServerEntry | undefined): ServerEntry {
  return restoreMaskedClientSecret(restoreMaskedValues(entry, stored), stored);
}

/** A remote server's masked OAuth client secret, put back from the stored entry (or refused when none is stored). */
function restoreMaskedClientSecret(entry: ServerEntry, stored: ServerEntry | undefined): ServerEntry {
  if (entry.transport === 'stdio' || entry.oauth?.clientSecret !== SECRET_MASK) return entry;
  const previous = stored !== undefined && stored.transport !== 'stdio' ? stored.oauth?.clientSecret : undefined;
  if (previous === undefined) throw new CatalogError(`the OAuth client secret of server "${entry.name}" shows a hidden secret that is not stored for it; type its value`);
  return { ...entry, oauth: { ...entry.oauth, clientSecret: previous } };
}

function restoreMaskedValues(entry: ServerEntry, stored: ServerEntry | undefined): ServerEntry {
  const incoming = entry.transport === 'stdio' ? entry.env : entry.headers;
  const masked = Object.keys(incoming).filter((name) => incoming[name] === SECRET_MASK);
  if (masked.length === 0) return entry;
  // Env values stay env values and headers headers: a stdio server turned remote keeps none of its secrets.
  const sameKind = stored !== undefined && (stored.transport === 'stdio') === (entry.transport === 'stdio');
  const previous: Record<string, string> = !sameKind ? {} : stored.transport === 'stdio' ? stored.env : stored.headers;
  const previousSecrets = new Set(stored?.secrets ?? []);
  const restored = { ...incoming };
  const what = entry.transport === 'stdio' ? 'environment variable' : 'header';
  for (const name of masked) {
    if (!previousSecrets.has(name) || !Object.hasOwn(previous, name)) {
      throw new CatalogError(`the ${what} ${name} of server "${entry.name}" shows a hidden secret that is not stored for it; type its value`);
    }
    restored[name] = previous[name]!;
  }
  return entry.transport === 'stdio' ? { ...entry, env: restored } : { ...entry, headers: restored };
}

/** Leaves secret values out of an entry (empty), for an export the user did not ask to include them in. */
export function withoutSecretValues(entry: ServerEntry): ServerEntry {
  const blanked = withoutSecretMapValues(entry);
  if (blanked.transport === 'stdio' || blanked.oauth?.clientSecret === undefined) return blanked;
  return { ...blanked, oauth: { ...blanked.oauth, clientSecret: '' } };
}

function withoutSecretMapValues(entry: ServerEntry): ServerEntry {
  const secrets = new Set(entry.secrets ?? []);
  if (secrets.size === 0) return entry;
  const blank = (values: Record<string, string>) => Object.fromEntries(Object.entries(values).map(([name, value]) => [name, secrets.has(name) ? '' : value]));
  return entry.transport === 'stdio' ? { ...entry, env: blank(entry.env) } : { ...entry, headers: blank(entry.headers) };
}
