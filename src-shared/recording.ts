import { z } from 'zod';
import { UPSTREAM_TRANSPORTS } from './catalog';
import { DIRECTIONS, PROTOCOL_ERAS } from './events';
import { describeZodError } from './zod-errors';

/**
 * Recordings of MCP sessions and the results of replaying them. A recording is a portable JSON file: every message
 * both ways with its time, the identity of each server it talked to, that server's catalog entry without secret
 * values, and the ignore list its replays start from. The api, the CLI, the saved files and the Recordings view all
 * read these schemas; a file written by a later format version is refused with a sentence saying so.
 */

export const RECORDING_FORMAT = 'mcp-patchbay-recording';
export const RECORDING_VERSION = 1;

/** How many messages one recording keeps at most: past that it stops taking them and says so (bounded memory). */
export const MAX_RECORDED_MESSAGES = 50_000;

const requestId = z.union([z.string(), z.number()]);

/** A catalog entry as a recording keeps it: env and header values are never written, only their names. */
export const RecordedEntrySchema = z.object({
  name: z.string(),
  transport: z.enum(UPSTREAM_TRANSPORTS),
  command: z.string().optional(),
  args: z.array(z.string()).optional(),
  cwd: z.string().optional(),
  url: z.string().optional(),
  envKeys: z.array(z.string()).optional(),
  headerKeys: z.array(z.string()).optional(),
  disabled: z.boolean(),
});
export type RecordedEntry = z.infer<typeof RecordedEntrySchema>;

/** One relayed JSON-RPC message. */
export const RecordedMessageSchema = z.object({
  /** Wall-clock time in ms since the epoch, as the proxy relayed it. */
  at: z.number(),
  /** The proxy session (legacy) or modern channel it went through: a replay opens one connection per session. */
  sessionId: z.string(),
  server: z.string(),
  era: z.enum(PROTOCOL_ERAS),
  direction: z.enum(DIRECTIONS),
  kind: z.enum(['request', 'response', 'notification']),
  method: z.string().optional(),
  id: requestId.optional(),
  size: z.number().int().min(0),
  durationMs: z.number().optional(),
  isError: z.boolean().optional(),
  /** The message as it went on the wire; absent only when `truncated`. */
  body: z.unknown().optional(),
  /** The message was larger than the proxy's event body cap and its body was not kept: it cannot be compared. */
  truncated: z.literal(true).optional(),
});
export type RecordedMessage = z.infer<typeof RecordedMessageSchema>;

/** Who a recorded server said it was. */
export const RecordedServerSchema = z.object({
  name: z.string(),
  entry: RecordedEntrySchema.optional(),
  serverInfo: z.object({ name: z.string(), version: z.string() }).loose().optional(),
  protocolVersion: z.string().optional(),
  era: z.enum(PROTOCOL_ERAS).optional(),
});
export type RecordedServer = z.infer<typeof RecordedServerSchema>;

export const RECORDING_ID = /^[A-Za-z0-9-]{1,100}$/;

export const RecordingSchema = z.object({
  format: z.literal(RECORDING_FORMAT, { error: `not a Patchbay recording (its "format" is not "${RECORDING_FORMAT}")` }),
  version: z.number().int().refine((version) => version <= RECORDING_VERSION, {
    message: `written by a newer Patchbay (format version above ${RECORDING_VERSION}); update Patchbay to read it`,
  }),
  id: z.string().regex(RECORDING_ID, 'a recording id is letters, digits and dashes'),
  name: z.string().min(1).max(200),
  /** One server, or every server the proxy relayed while it ran. */
  scope: z.discriminatedUnion('kind', [z.object({ kind: z.literal('server'), server: z.string() }), z.object({ kind: z.literal('all') })]),
  startedAt: z.number(),
  endedAt: z.number(),
  servers: z.array(RecordedServerSchema),
  messages: z.array(RecordedMessageSchema).max(MAX_RECORDED_MESSAGES),
  /** Paths every replay of this recording ignores (JSON pointers or simple paths, see parseIgnorePath). */
  ignore: z.array(z.string()).default([]),
  /** Set when the recording stopped taking messages at MAX_RECORDED_MESSAGES. */
  limitReached: z.boolean().optional(),
});
export type Recording = z.infer<typeof RecordingSchema>;

/** What the Recordings list shows of one. */
export const RecordingSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  servers: z.array(z.string()),
  eras: z.array(z.enum(PROTOCOL_ERAS)),
  messages: z.number().int(),
  startedAt: z.number(),
  endedAt: z.number(),
});
export type RecordingSummary = z.infer<typeof RecordingSummarySchema>;

export function summarizeRecording(recording: Recording): RecordingSummary {
  const failedProbes = failedProbeSessions(recording.messages);
  const servers = [...new Set([...recording.servers.map((server) => server.name), ...recording.messages.map((message) => message.server)])];
  const eras = [...new Set(recording.messages.filter((message) => !failedProbes.has(message.sessionId)).map((message) => message.era))];
  return { id: recording.id, name: recording.name, servers, eras, messages: recording.messages.length, startedAt: recording.startedAt, endedAt: recording.endedAt };
}

/**
 * Channels that only carried a server/discover a legacy server refused (a client in Auto probing the era before it
 * fell back to initialize): they say nothing of the era the session spoke.
 */
function failedProbeSessions(messages: readonly RecordedMessage[]): Set<string> {
  const useful = new Set<string>();
  const seen = new Set<string>();
  for (const message of messages) {
    seen.add(message.sessionId);
    const probe = message.method === 'server/discover' || (message.kind === 'response' && message.isError === true);
    if (!probe) useful.add(message.sessionId);
  }
  return new Set([...seen].filter((session) => !useful.has(session)));
}

/** Reads a recording from a file's text; the error names what is wrong (not JSON, not a recording, which field). */
export function parseRecording(text: string, where: string): Recording {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new RecordingFormatError(`${where} is not valid JSON (${(error as Error).message})`);
  }
  const parsed = RecordingSchema.safeParse(data);
  if (!parsed.success) throw new RecordingFormatError(`${where} is not a readable recording: ${describeZodError(parsed.error)}`);
  return parsed.data;
}

export class RecordingFormatError extends Error {
  override readonly name = 'RecordingFormatError';
}

/** A recording under way, as the app shows it. */
export const ActiveRecordingSchema = z.object({
  id: z.string(),
  name: z.string(),
  scope: RecordingSchema.shape.scope,
  startedAt: z.number(),
  messages: z.number().int(),
});
export type ActiveRecording = z.infer<typeof ActiveRecordingSchema>;

// ---- Ignore paths ------------------------------------------------------------------------------------------------

/**
 * A path into a response envelope that a replay does not compare: a JSON pointer (`/result/content/0/text`, RFC
 * 6901 escapes) or a simple path (`result.content[0].text`); `*` stands for any one key or index. Paths start at
 * the envelope, so they begin with `result` or `error`.
 */
export function parseIgnorePath(text: string): string[] {
  const trimmed = text.trim();
  if (trimmed === '') throw new RecordingFormatError('an ignore path is empty; write it as /result/content/0/text or result.content[0].text');
  if (trimmed.startsWith('/')) return trimmed.slice(1).split('/').map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'));
  const segments: string[] = [];
  for (const part of trimmed.split('.')) {
    const match = /^([^[\]]*)((?:\[(?:\d+|\*)\])*)$/.exec(part);
    if (!match || match[0] === '') throw new RecordingFormatError(`"${text}" is not a path; write it as /result/content/0/text or result.content[0].text`);
    const [, key = '', indexes = ''] = match;
    if (key !== '') segments.push(key);
    for (const index of indexes.matchAll(/\[(\d+|\*)\]/g)) segments.push(index[1]!);
  }
  return segments;
}

/** Whether a difference at `path` falls under an ignore path: the same segments (or `*`), or anything below them. */
export function pathIsIgnored(path: ReadonlyArray<string | number>, ignore: ReadonlyArray<readonly string[]>): boolean {
  return ignore.some((pattern) => pattern.length <= path.length && pattern.every((segment, index) => segment === '*' || segment === String(path[index])));
}

/** A path as a JSON pointer, the way diffs name it. */
export function toJsonPointer(path: ReadonlyArray<string | number>): string {
  return `/${path.map((segment) => String(segment).replaceAll('~', '~0').replaceAll('/', '~1')).join('/')}`;
}

// ---- Replay results ----------------------------------------------------------------------------------------------

export const ReplayDifferenceSchema = z.object({
  /** JSON pointer into the response envelope, e.g. `/result/content/0/text`. */
  path: z.string(),
  kind: z.enum(['added', 'removed', 'changed']),
  recorded: z.unknown().optional(),
  replayed: z.unknown().optional(),
});
export type ReplayDifference = z.infer<typeof ReplayDifferenceSchema>;

export const REQUEST_OUTCOMES = ['equal', 'different', 'skipped', 'failed'] as const;

export const ReplayedRequestSchema = z.object({
  /** 1-based place of the request in the replay. */
  index: z.number().int().min(1),
  sessionId: z.string(),
  method: z.string(),
  /** What the request was about (a tool's name, a resource's uri, a prompt's name), when it says. */
  target: z.string().optional(),
  outcome: z.enum(REQUEST_OUTCOMES),
  /** Why it was skipped or failed. */
  reason: z.string().optional(),
  differences: z.array(ReplayDifferenceSchema),
  recordedResponse: z.unknown().optional(),
  replayedResponse: z.unknown().optional(),
});
export type ReplayedRequest = z.infer<typeof ReplayedRequestSchema>;

export const ReplayResultSchema = z.object({
  recording: z.object({ id: z.string(), name: z.string() }),
  /** The server replayed against, and who it said it was. */
  server: z.string(),
  serverInfo: z.object({ name: z.string(), version: z.string() }).loose().optional(),
  recordedServerInfo: z.object({ name: z.string(), version: z.string() }).loose().optional(),
  startedAt: z.number(),
  endedAt: z.number(),
  /** `match`: every request equal; `differ`: one or more different or failed; `failed`: the replay could not run. */
  outcome: z.enum(['match', 'differ', 'failed']),
  failure: z.string().optional(),
  requests: z.array(ReplayedRequestSchema),
  /** Server requests (sampling, elicitation, roots) answered from the recording, and those it had no answer for. */
  serverRequests: z.object({ answered: z.number().int(), unanswered: z.array(z.string()) }),
  ignore: z.array(z.string()),
});
export type ReplayResult = z.infer<typeof ReplayResultSchema>;

/** Counts of a result's requests by outcome. */
export function countOutcomes(result: Pick<ReplayResult, 'requests'>): Record<(typeof REQUEST_OUTCOMES)[number], number> {
  const counts = { equal: 0, different: 0, skipped: 0, failed: 0 };
  for (const request of result.requests) counts[request.outcome] += 1;
  return counts;
}

/** What a request was about, for the report: the tool, resource or prompt it named. */
export function requestTarget(params: unknown): string | undefined {
  if (typeof params !== 'object' || params === null) return undefined;
  const { name, uri } = params as { name?: unknown; uri?: unknown };
  if (typeof name === 'string') return name;
  if (typeof uri === 'string') return uri;
  return undefined;
}

/** A value in a diff line: JSON, cut short past `max` characters. */
export function previewValue(value: unknown, max = 120): string {
  const text = value === undefined ? 'nothing' : JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** One difference as a line: `/result/content/0/text: "vanilla" → "chocolate"`. */
export function describeDifference(difference: ReplayDifference): string {
  if (difference.kind === 'added') return `${difference.path}: added ${previewValue(difference.replayed)}`;
  if (difference.kind === 'removed') return `${difference.path}: removed (was ${previewValue(difference.recorded)})`;
  return `${difference.path}: ${previewValue(difference.recorded)} → ${previewValue(difference.replayed)}`;
}

/** A request as the report names it: `#3 tools/call env`. */
export function describeReplayedRequest(request: Pick<ReplayedRequest, 'index' | 'method' | 'target'>): string {
  return `#${request.index} ${request.method}${request.target ? ` ${request.target}` : ''}`;
}
