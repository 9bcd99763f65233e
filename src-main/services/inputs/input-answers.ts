import { join } from 'node:path';
import { z } from 'zod';
import type { InputAnswers, RememberedInputsStorage } from '../../../src-shared/inputs';
import { writeFileAtomic } from '../catalog/atomic-write';
import { openSealed, seal, type SecretCodec } from '../catalog/secret-codec';
import { readTextIfExists } from '../catalog/read-if-exists';

/** The file of remembered answers: by server, by input id, each value sealed with the codec. */
const RememberedFileSchema = z.strictObject({ version: z.literal(1), servers: z.record(z.string(), z.record(z.string(), z.string())) });

/**
 * Answers to VS Code `${input:id}` placeholders, apart from the catalog (so they never reach the renderer, an
 * event, a timeline or an export). An answer given with "Remember" is kept per server and input id: sealed with
 * the OS keychain in a file of the data folder when there is a codec (the desktop app), else only in memory until
 * Patchbay stops (web mode: there is no keychain, and answers are often secrets). An answer given without it is
 * used for the next connect of that server only.
 */
export class InputAnswerStore {
  private readonly remembered = new Map<string, Map<string, string>>();
  private readonly once = new Map<string, Map<string, string>>();
  private writes: Promise<void> = Promise.resolve();
  /** What could not be read or opened, for the host to report (never a value). */
  problem?: string;

  private constructor(
    private readonly path: string | undefined,
    private readonly codec: SecretCodec | undefined,
  ) {}

  /** Opens the store of a data folder: remembered answers are read (and written) only when there is a codec. */
  static async openIn(dataDir: string | undefined, codec: SecretCodec | undefined): Promise<InputAnswerStore> {
    const store = new InputAnswerStore(codec && dataDir !== undefined ? join(dataDir, 'remembered-inputs.json') : undefined, codec);
    await store.load();
    return store;
  }

  /** Where remembered answers live, for the prompt to say so. */
  get storage(): RememberedInputsStorage {
    return this.path ? 'keychain' : 'session';
  }

  private async load(): Promise<void> {
    if (!this.path || !this.codec) return;
    const text = await readTextIfExists(this.path);
    if (text === undefined) return;
    const parsed = RememberedFileSchema.safeParse(JSON.parse(text));
    if (!parsed.success) {
      this.problem = `the remembered inputs in ${this.path} could not be read; they will be asked for again`;
      return;
    }
    const unopened: string[] = [];
    for (const [server, answers] of Object.entries(parsed.data.servers)) {
      const opened = new Map<string, string>();
      for (const [id, sealed] of Object.entries(answers)) {
        const value = openSealed(sealed, this.codec);
        if (value === undefined) unopened.push(`"${id}" of "${server}"`);
        else opened.set(id, value);
      }
      if (opened.size > 0) this.remembered.set(server, opened);
    }
    if (unopened.length > 0) this.problem = `the remembered inputs ${unopened.join(', ')} could not be decrypted; they will be asked for again`;
  }

  /** The answers a server's next start may use: remembered ones, and those given for this connect. */
  answersFor(server: string): Readonly<Record<string, string>> {
    return { ...Object.fromEntries(this.remembered.get(server) ?? []), ...Object.fromEntries(this.once.get(server) ?? []) };
  }

  /** A start used the answers: those given for one connect are spent. */
  spend(server: string): void {
    this.once.delete(server);
  }

  /** How many answers are remembered for a server. */
  rememberedCount(server: string): number {
    return this.remembered.get(server)?.size ?? 0;
  }

  /** Takes answers (already checked against the server's inputs); with `remember`, keeps them past this connect. */
  async give(server: string, answers: InputAnswers, remember: boolean): Promise<void> {
    const target = remember ? this.remembered : this.once;
    const map = target.get(server) ?? new Map<string, string>();
    for (const [id, value] of Object.entries(answers)) map.set(id, value);
    target.set(server, map);
    if (remember) await this.save();
  }

  /** Forgets every answer of a server (remembered or given for one connect); returns how many were remembered. */
  async forget(server: string): Promise<number> {
    const count = this.rememberedCount(server);
    this.remembered.delete(server);
    this.once.delete(server);
    if (count > 0) await this.save();
    return count;
  }

  private save(): Promise<void> {
    const path = this.path;
    const codec = this.codec;
    if (!path || !codec) return Promise.resolve();
    // Sealed at the moment of writing, one write after another, so the last change wins on disk too.
    const run = this.writes.then(async () => {
      const servers = Object.fromEntries([...this.remembered].map(([server, answers]) => [server, Object.fromEntries([...answers].map(([id, value]) => [id, seal(value, codec)]))]));
      await writeFileAtomic(path, `${JSON.stringify({ version: 1, servers }, null, 2)}\n`);
    });
    this.writes = run.catch(() => undefined);
    return run;
  }
}
