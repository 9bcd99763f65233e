import type { ServerEntry } from '../../../src-shared/catalog';

/**
 * Encrypts secret values for storage. The desktop app passes one built on Electron's safeStorage (the OS keychain);
 * where none is available, secrets are stored as written and the catalog says so.
 */
export interface SecretCodec {
  encrypt(plain: string): string;
  decrypt(sealed: string): string;
}

/** Marks a stored value as sealed by the codec. */
const SEALED_PREFIX = 'patchbay-sealed:v1:';

/** One value as stored: sealed by the codec, marked so (a value already sealed is kept). */
export function seal(value: string, codec: SecretCodec): string {
  return value.startsWith(SEALED_PREFIX) ? value : SEALED_PREFIX + codec.encrypt(value);
}

/** One stored value opened, or undefined when it cannot be (no keychain, another machine). Unsealed values pass. */
export function openSealed(value: string, codec: SecretCodec | undefined): string | undefined {
  if (!value.startsWith(SEALED_PREFIX)) return value;
  try {
    return codec ? codec.decrypt(value.slice(SEALED_PREFIX.length)) : undefined;
  } catch {
    return undefined;
  }
}

/** The entry as stored: secret values sealed. */
export function sealSecrets(entry: ServerEntry, codec: SecretCodec | undefined): ServerEntry {
  if (!codec) return entry;
  return mapSecretValues(entry, (value) => seal(value, codec));
}

/**
 * The entry as used: sealed values opened. A value that cannot be opened (no keychain, another machine) stays
 * sealed and is reported by name, never replaced by an empty string.
 */
export function openSecrets(entry: ServerEntry, codec: SecretCodec | undefined, problems: string[]): ServerEntry {
  return mapSecretValues(entry, (value, name) => {
    if (!value.startsWith(SEALED_PREFIX)) return value;
    try {
      if (!codec) throw new Error('no keychain is available');
      return codec.decrypt(value.slice(SEALED_PREFIX.length));
    } catch (error) {
      problems.push(`the secret ${name} of server "${entry.name}" could not be decrypted (${(error as Error).message}); enter it again`);
      return value;
    }
  });
}

/** Maps every secret value of an entry: its secret env values or headers, and a remote server's OAuth client secret. */
function mapSecretValues(entry: ServerEntry, map: (value: string, name: string) => string): ServerEntry {
  const secrets = new Set(entry.secrets ?? []);
  const mapAll = (values: Record<string, string>) => Object.fromEntries(Object.entries(values).map(([name, value]) => [name, secrets.has(name) ? map(value, name) : value]));
  if (entry.transport === 'stdio') return secrets.size === 0 ? entry : { ...entry, env: mapAll(entry.env) };
  const headers = secrets.size === 0 ? entry.headers : mapAll(entry.headers);
  const clientSecret = entry.oauth?.clientSecret;
  if (clientSecret === undefined) return headers === entry.headers ? entry : { ...entry, headers };
  return { ...entry, headers, oauth: { ...entry.oauth, clientSecret: map(clientSecret, 'oauth.clientSecret') } };
}
