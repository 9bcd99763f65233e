import diff from 'microdiff';
import { pathIsIgnored, toJsonPointer, type ReplayDifference } from '../../../src-shared/recording';

/** Keys whose values differ from one run to the next by nature: a server's opaque continuation state. */
const VOLATILE_KEYS = new Set(['requestState']);
/** An ISO 8601 date-time: two of them differing is a timestamp moving on, not a change. */
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;
/** A key that holds a time (createdAt, timestamp, lastModified, time). */
const TIME_KEY = /(^|[a-z_])(at|At|time|Time|timestamp|Timestamp|modified|Modified|date|Date)$/;
/** Milliseconds since the epoch between 2001 and 2286. */
const isEpochMs = (value: unknown): boolean => typeof value === 'number' && value > 1e12 && value < 1e13;

/**
 * The differences between a recorded and a replayed response envelope, what the ignore paths cover left out, as
 * JSON pointers. JSON-RPC ids and the `jsonrpc` member are not compared (each connection numbers its own
 * requests); timestamps that moved on and a server's opaque `requestState` are not differences.
 */
export function compareResponses(recorded: unknown, replayed: unknown, ignore: ReadonlyArray<readonly string[]>): ReplayDifference[] {
  const left = comparable(recorded);
  const right = comparable(replayed);
  return diff(left, right)
    .filter((change) => !pathIsIgnored(change.path, ignore))
    .filter((change) => !VOLATILE_KEYS.has(String(change.path.at(-1))))
    .filter((change) => !(change.type === 'CHANGE' && isTimestampChange(change.path, change.oldValue, change.value)))
    .map((change): ReplayDifference => {
      const path = toJsonPointer(change.path);
      if (change.type === 'CREATE') return { path, kind: 'added', replayed: change.value };
      if (change.type === 'REMOVE') return { path, kind: 'removed', recorded: change.oldValue };
      return { path, kind: 'changed', recorded: change.oldValue, replayed: change.value };
    });
}

/** The part of an envelope a replay compares: its result or its error. */
function comparable(envelope: unknown): Record<string, unknown> {
  if (typeof envelope !== 'object' || envelope === null) return { result: envelope };
  const { result, error } = envelope as { result?: unknown; error?: unknown };
  return error !== undefined ? { error } : { result };
}

function isTimestampChange(path: ReadonlyArray<string | number>, before: unknown, after: unknown): boolean {
  if (typeof before === 'string' && typeof after === 'string') return ISO_DATE_TIME.test(before) && ISO_DATE_TIME.test(after);
  return isEpochMs(before) && isEpochMs(after) && TIME_KEY.test(String(path.at(-1)));
}
