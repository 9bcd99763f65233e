import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { parseRecording, RECORDING_ID, RecordingFormatError, RecordingSchema, summarizeRecording, type Recording, type RecordingSummary } from '../../../src-shared/recording';
import { writeFileAtomic } from '../catalog/atomic-write';
import { RecordingError } from './recording-error';

/**
 * Saved recordings: one JSON file per recording in `recordings/` of the data folder, written atomically and read
 * back through the recording schema. A file that does not read is left where it is and named in `problems`.
 */
export class RecordingStore {
  private constructor(readonly folder: string) {}

  static async openIn(dataDir: string): Promise<RecordingStore> {
    const folder = join(dataDir, 'recordings');
    await mkdir(folder, { recursive: true });
    return new RecordingStore(folder);
  }

  private pathOf(id: string): string {
    if (!RECORDING_ID.test(id)) throw new RecordingError(`"${id}" is not a recording id`);
    return join(this.folder, `${id}.json`);
  }

  async save(recording: Recording): Promise<void> {
    const checked = RecordingSchema.parse(recording);
    await writeFileAtomic(this.pathOf(checked.id), `${JSON.stringify(checked)}\n`);
  }

  /** A saved recording; a missing or unreadable one is refused with the reason. */
  async get(id: string): Promise<Recording> {
    const path = this.pathOf(id);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new RecordingError(`there is no saved recording "${id}"`);
      throw error;
    }
    return readRecording(text, path);
  }

  /** Every saved recording, newest first, and the files that could not be read. */
  async list(): Promise<{ recordings: RecordingSummary[]; problems: string[] }> {
    const names = (await readdir(this.folder)).filter((name) => name.endsWith('.json') && !name.startsWith('.'));
    const recordings: RecordingSummary[] = [];
    const problems: string[] = [];
    for (const name of names) {
      const path = join(this.folder, name);
      try {
        recordings.push(summarizeRecording(readRecording(await readFile(path, 'utf8'), path)));
      } catch (error) {
        problems.push(error instanceof Error ? error.message : String(error));
      }
    }
    recordings.sort((a, b) => b.startedAt - a.startedAt);
    return { recordings, problems };
  }

  async remove(id: string): Promise<void> {
    await rm(this.pathOf(id), { force: true });
  }
}

/** A recording from a file's text; a bad one is a RecordingError naming the file and what is wrong. */
export function readRecording(text: string, where: string): Recording {
  try {
    return parseRecording(text, where);
  } catch (error) {
    if (error instanceof RecordingFormatError) throw new RecordingError(error.message);
    throw error;
  }
}
