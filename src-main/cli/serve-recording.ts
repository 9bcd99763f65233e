import { access, constants } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ServerEntry } from '../../src-shared/catalog';
import { countOf } from '../../src-shared/count-of';
import { writeFileAtomic } from '../services/catalog/atomic-write';
import type { EventBus } from '../services/proxy/event-bus';
import { Recorder } from '../services/recording/recorder';

/** `serve --record FILE`: one recording of every server, from serve's start to its stop. */
export interface SessionRecording {
  path: string;
  /** Stops recording and writes the file atomically; answers the line serve prints. */
  save(): Promise<string>;
}

/**
 * Starts recording the bus, after checking that FILE's folder exists and can be written (refused at start, not
 * found out after a long session). Answers an Error with the sentence to print when it cannot.
 */
export async function startSessionRecording(input: { path: string; bus: EventBus; entries: readonly ServerEntry[] }): Promise<SessionRecording | Error> {
  const folder = dirname(input.path);
  try {
    await access(folder, constants.W_OK);
  } catch {
    return new Error(`--record: the folder ${folder} does not exist or cannot be written to`);
  }
  const recorder = new Recorder({ bus: input.bus, name: `serve ${new Date().toISOString().slice(0, 19).replace('T', ' ')}`, entryOf: (name) => input.entries.find((entry) => entry.name === name) });
  return {
    path: input.path,
    async save() {
      const recording = recorder.stop();
      await writeFileAtomic(input.path, `${JSON.stringify(recording, null, 2)}\n`);
      const servers = recording.servers.map((server) => server.name).join(', ') || 'no server';
      return `Recording saved to ${input.path}: ${countOf(recording.messages.length, 'message')} of ${servers}${recording.limitReached ? ' (the message limit was reached; later ones were not kept)' : ''}`;
    },
  };
}
