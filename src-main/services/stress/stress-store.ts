import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { StressRunSchema, summarizeRun, type StressRun, type StressRunSummary } from '../../../src-shared/stress';
import { describeZodError } from '../../../src-shared/zod-errors';
import { writeFileAtomic } from '../catalog/atomic-write';
import { StressError } from './stress-error';

/** Run ids are made by the runner (time and a random part); anything else is refused before it names a file. */
const RUN_ID = /^[A-Za-z0-9-]{1,100}$/;

/**
 * Saved stress runs: one JSON file per run in `stress-runs/` of the data folder, written atomically and validated
 * with the run's schema when read back. A file that does not read is left where it is and named in `problems`.
 */
export class StressStore {
  private constructor(readonly folder: string) {}

  static async openIn(dataDir: string): Promise<StressStore> {
    const folder = join(dataDir, 'stress-runs');
    await mkdir(folder, { recursive: true });
    return new StressStore(folder);
  }

  private pathOf(id: string): string {
    if (!RUN_ID.test(id)) throw new StressError(`"${id}" is not a stress run id`);
    return join(this.folder, `${id}.json`);
  }

  async save(run: StressRun): Promise<void> {
    const checked = StressRunSchema.parse(run);
    await writeFileAtomic(this.pathOf(checked.id), `${JSON.stringify(checked)}\n`);
  }

  /** A saved run; a missing or unreadable one is refused with the reason. */
  async get(id: string): Promise<StressRun> {
    const path = this.pathOf(id);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new StressError(`there is no saved stress run "${id}"`);
      throw error;
    }
    return parseRun(path, text);
  }

  /** Every saved run, newest first (optionally of one server), and the files that could not be read. */
  async list(server?: string): Promise<{ runs: StressRunSummary[]; problems: string[] }> {
    const names = (await readdir(this.folder)).filter((name) => name.endsWith('.json') && !name.startsWith('.'));
    const runs: StressRunSummary[] = [];
    const problems: string[] = [];
    for (const name of names) {
      const path = join(this.folder, name);
      try {
        const run = parseRun(path, await readFile(path, 'utf8'));
        if (server === undefined || run.server === server) runs.push(summarizeRun(run));
      } catch (error) {
        problems.push(error instanceof Error ? error.message : String(error));
      }
    }
    runs.sort((a, b) => b.startedAt - a.startedAt);
    return { runs, problems };
  }

  async remove(id: string): Promise<void> {
    await rm(this.pathOf(id), { force: true });
  }
}

function parseRun(path: string, text: string): StressRun {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new StressError(`${path} is not valid JSON (${(error as Error).message})`);
  }
  const parsed = StressRunSchema.safeParse(data);
  if (!parsed.success) throw new StressError(`${path} is not a stress run: ${describeZodError(parsed.error)}`);
  return parsed.data;
}
