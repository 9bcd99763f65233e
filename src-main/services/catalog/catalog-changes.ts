import { sameServerSettings, type ServerEntry } from '../../../src-shared/catalog';
import type { CloseReason } from '../../../src-shared/events';

/** A server whose live sessions must close, because what they were started from no longer holds. */
export interface OutdatedServer {
  server: string;
  reason: Extract<CloseReason, 'server-removed' | 'server-changed'>;
  /** What happened to it, in a few words: "it was renamed to "b"", "it was disabled", "it was edited". */
  detail: string;
}

/**
 * Compares the catalog before and after a change and names every server whose sessions must close: removed (or
 * renamed: the old name is gone and an entry identical but for its name appeared), disabled, or edited in any way.
 * A session runs on the entry it was started from, so any change to that entry ends it.
 */
export function outdatedServers(previous: readonly ServerEntry[], next: readonly ServerEntry[]): OutdatedServer[] {
  const nextByName = new Map(next.map((entry) => [entry.name, entry]));
  const previousNames = new Set(previous.map((entry) => entry.name));
  const outdated: OutdatedServer[] = [];
  for (const before of previous) {
    const after = nextByName.get(before.name);
    if (!after) {
      const renamedTo = next.find((candidate) => !previousNames.has(candidate.name) && sameServerSettings(candidate, before));
      outdated.push({ server: before.name, reason: 'server-removed', detail: renamedTo ? `it was renamed to "${renamedTo.name}"` : 'it was removed' });
    } else if (!sameServerSettings(before, after)) {
      const disabled = after.disabled === true && before.disabled !== true;
      outdated.push({ server: before.name, reason: 'server-changed', detail: disabled ? 'it was disabled' : 'it was edited; connect again to use the new settings' });
    }
  }
  return outdated;
}
