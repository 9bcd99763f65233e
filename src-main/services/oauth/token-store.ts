import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../catalog/atomic-write';
import { readTextIfExists } from '../catalog/read-if-exists';
import { openSealed, seal, type SecretCodec } from '../catalog/secret-codec';

/** A token as kept: never sent anywhere but the server (and resource) it was issued for. */
export const StoredTokensSchema = z.object({
  accessToken: z.string(),
  tokenType: z.string(),
  refreshToken: z.string().optional(),
  /** ms since the epoch, when the server said how long it lives. */
  expiresAt: z.number().optional(),
  /** What was granted (the token response's scope), else what was asked for. */
  scope: z.string().optional(),
  obtainedAt: z.number(),
});
export type StoredTokens = z.infer<typeof StoredTokensSchema>;

/** What is kept about one authorization server of one MCP server: its metadata, our client there, our tokens. */
export const IssuerRecordSchema = z.object({
  /** The authorization server's identifier as the protected resource metadata named it (or the origin, 2025-03-26). */
  authorizationServerUrl: z.string(),
  /** Its metadata document, as validated (absent: the 2025-03-26 default endpoints). */
  metadata: z.record(z.string(), z.unknown()).optional(),
  /** The resource indicator the tokens are for (RFC 8707). */
  resource: z.string().optional(),
  /** Our client at that server: registered dynamically, given by the user, or a metadata document URL. */
  client: z.record(z.string(), z.unknown()).optional(),
  registration: z.enum(['cimd', 'pre-registered', 'dynamic']).optional(),
  /** The redirect URI the client was registered with (its port is tried again first). */
  redirectUri: z.string().optional(),
  /** The scopes last asked for (step-up asks for these and the new ones together). */
  requestedScope: z.string().optional(),
  tokens: StoredTokensSchema.optional(),
});
export type IssuerRecord = z.infer<typeof IssuerRecordSchema>;

/** Everything kept for one MCP server, keyed by issuer: credentials are never used with another authorization server. */
export const ServerRecordSchema = z.object({
  /** The server URL the record was made for: a changed URL starts afresh (no token goes to another server). */
  serverUrl: z.string(),
  /** The issuer of the current tokens. */
  issuer: z.string().optional(),
  byIssuer: z.record(z.string(), IssuerRecordSchema),
});
export type ServerRecord = z.infer<typeof ServerRecordSchema>;

/** The file: one sealed JSON document per server (a file without the keychain is never written). */
const TokenFileSchema = z.strictObject({ version: z.literal(1), servers: z.record(z.string(), z.string()) });

/**
 * OAuth tokens and client registrations per server, keyed by issuer. Sealed with the catalog's codec (the OS
 * keychain) in `oauth-tokens.json` in the data folder, written atomically, when there is a codec (the desktop app);
 * else kept in memory only, until Patchbay stops (web mode, serve), as remembered inputs are.
 */
export class TokenStore {
  private readonly records = new Map<string, ServerRecord>();
  private writes: Promise<void> = Promise.resolve();
  /** What could not be read or opened, for the host to report (never a value). */
  problem?: string;

  private constructor(
    private readonly path: string | undefined,
    private readonly codec: SecretCodec | undefined,
  ) {}

  static async openIn(dataDir: string | undefined, codec: SecretCodec | undefined): Promise<TokenStore> {
    const store = new TokenStore(codec && dataDir !== undefined ? join(dataDir, 'oauth-tokens.json') : undefined, codec);
    await store.load();
    return store;
  }

  /** Where tokens are kept, for the UI and the README to say so. */
  get storage(): 'keychain' | 'memory' {
    return this.path ? 'keychain' : 'memory';
  }

  private async load(): Promise<void> {
    if (!this.path || !this.codec) return;
    const text = await readTextIfExists(this.path);
    if (text === undefined) return;
    let parsed: z.infer<typeof TokenFileSchema>;
    try {
      parsed = TokenFileSchema.parse(JSON.parse(text));
    } catch {
      this.problem = `the saved sign-ins in ${this.path} could not be read; servers will ask to sign in again`;
      return;
    }
    const unopened: string[] = [];
    for (const [server, sealed] of Object.entries(parsed.servers)) {
      const opened = openSealed(sealed, this.codec);
      const record = opened === undefined ? undefined : ServerRecordSchema.safeParse(safeJson(opened));
      if (!record?.success) unopened.push(`"${server}"`);
      else this.records.set(server, record.data);
    }
    if (unopened.length > 0) this.problem = `the saved sign-ins of ${unopened.join(', ')} could not be decrypted; they will ask to sign in again`;
  }

  /** The record of a server made for this URL; one made for another URL is dropped (it was for another server). */
  get(server: string, serverUrl: string): ServerRecord | undefined {
    const record = this.records.get(server);
    if (record && record.serverUrl !== serverUrl) return undefined;
    return record;
  }

  /** Changes a server's record (creating it for this URL) and saves. */
  async update(server: string, serverUrl: string, change: (record: ServerRecord) => void): Promise<ServerRecord> {
    const current = this.get(server, serverUrl);
    const record: ServerRecord = current ? structuredClone(current) : { serverUrl, byIssuer: {} };
    change(record);
    this.records.set(server, record);
    await this.save();
    return record;
  }

  /** Forgets everything kept for a server (Sign out, the server removed); returns whether there was anything. */
  async forget(server: string): Promise<boolean> {
    const had = this.records.delete(server);
    if (had) await this.save();
    return had;
  }

  private save(): Promise<void> {
    const path = this.path;
    const codec = this.codec;
    if (!path || !codec) return Promise.resolve();
    // Sealed at the moment of writing, one write after another, so the last change wins on disk too.
    const run = this.writes.then(async () => {
      const servers = Object.fromEntries([...this.records].map(([server, record]) => [server, seal(JSON.stringify(record), codec)]));
      await writeFileAtomic(path, `${JSON.stringify({ version: 1, servers }, null, 2)}\n`);
    });
    this.writes = run.catch(() => undefined);
    return run;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
