import { z } from 'zod';
import { FaultPlanInputSchema, FaultPlanSchema, FaultPlansSchema } from './faults';
import { InputAnswersSchema, InputPromptSchema } from './inputs';
import { ServerEntrySchema, type ServerEntry } from './catalog';
import { API_METHOD_NAMES, type ApiErrorCode, type ApiEventName, type ApiMethodName, type ApiResult } from './api-names';
import { DroppedNoticeSchema, LifecycleEventSchema, SessionSnapshotSchema, type DroppedNotice, type LifecycleEvent } from './events';
import { EndProcessResultSchema, PidSchema, ProcessesSnapshotSchema } from './processes';
import { AppSettingsSchema } from './settings';
import { AUTH_FLOW_MODES, ServerAuthStateSchema } from './oauth';
import { SHORTCUT_IDS, type ShortcutId } from './shortcuts';
import { DoctorReportSchema } from './doctor';
import { ActiveRecordingSchema, RECORDING_ID, RecordingSchema, RecordingSummarySchema, ReplayResultSchema } from './recording';
import { OpenAppDocumentSchema, OpenedAppDocumentSchema } from './apps';
import { ServerDiffSchema } from './server-diff';
import { SNAPSHOT_ID, ServerSnapshotSchema, SnapshotSummarySchema } from './server-snapshot';
import { StressProgressSchema, StressRunSchema, StressRunSummarySchema, StressSettingsSchema, type StressProgress } from './stress';

export { API_EVENT_NAMES, API_METHOD_NAMES, IPC_CHANNELS, type ApiErrorCode, type ApiEventName, type ApiMethodName, type ApiResult } from './api-names';

/**
 * The api between the renderer and the main process, defined once. The Electron preload exposes one named method
 * per entry (over IPC) and web mode's HTTP bridge serves the same entries; main validates every payload with the
 * entry's input schema before a service sees it.
 */

const serverName = z.string().min(1, 'a server name is required').max(200);
const recordingId = z.string().regex(RECORDING_ID, 'a recording id is letters, digits and dashes');
const snapshotId = z.string().regex(SNAPSHOT_ID, 'a snapshot id is letters, digits and dashes');

/** What the renderer needs to reach the proxy. */
export const ConnectionInfoSchema = z.object({
  /** Base URL of the proxy, e.g. http://127.0.0.1:53122 */
  proxyUrl: z.string(),
  /** Bearer token for every proxy request. */
  token: z.string(),
  /** Which host runs the services: the Electron app or web mode. */
  host: z.enum(['electron', 'web']),
});
export type ConnectionInfo = z.infer<typeof ConnectionInfoSchema>;

/** Settings as they apply: every field filled in. */
export const EffectiveSettingsSchema = z.object({ idleTimeoutSeconds: z.number() });
export type EffectiveSettings = z.infer<typeof EffectiveSettingsSchema>;

export const CatalogStatusSchema = z.object({
  path: z.string(),
  /** Set when the saved catalog could not be read; says where it was kept. */
  problem: z.string().optional(),
});

const transport = z.enum(['stdio', 'sse', 'streamable-http']);

/** A changed field of a server in a watched file: plain values as text, env and headers by key only (values may be secrets). */
const FieldChangeSchema = z.object({
  field: z.string(),
  before: z.string().optional(),
  after: z.string().optional(),
  keys: z.object({ added: z.array(z.string()), removed: z.array(z.string()), changed: z.array(z.string()) }).optional(),
});
export const SourceChangesSchema = z.object({
  added: z.array(z.string()),
  removed: z.array(z.string()),
  changed: z.array(z.object({ name: z.string(), fields: z.array(FieldChangeSchema) })),
});
export type SourceChangesView = z.infer<typeof SourceChangesSchema>;
export const WatchedConfigsSchema = z.object({
  sources: z.array(
    z.object({
      path: z.string(),
      servers: z.array(z.string()),
      pending: z.object({ hash: z.string(), changes: SourceChangesSchema }).optional(),
      problem: z.string().optional(),
    }),
  ),
});
export type WatchedConfigs = z.infer<typeof WatchedConfigsSchema>;

/** What an import would do, as the renderer sees it: no env or header values (they may be secrets). */
export const ImportPreviewSchema = z.object({
  planId: z.string(),
  files: z.array(
    z.object({
      path: z.string(),
      ok: z.boolean(),
      /** Which format the file was read as, and why (one sentence). */
      detection: z.string().optional(),
      /** Why the file could not be used at all. */
      error: z.string().optional(),
      /** Entries of the file that could not be read, one sentence each; the others are still imported. */
      problems: z.array(z.string()),
      warnings: z.array(z.string()),
    }),
  ),
  entries: z.array(
    z.object({
      name: z.string(),
      file: z.string(),
      transport,
      command: z.string().optional(),
      args: z.array(z.string()).optional(),
      /** As written, placeholders kept. */
      url: z.string().optional(),
      /** The url with each `${VAR:-default}` filled with its default, to show where it goes. */
      urlWithDefaults: z.string().optional(),
      disabled: z.boolean(),
      /** Where in its file it was found (Claude Code's ~/.claude.json: user scope or a project); the preview groups by it. */
      group: z.string().optional(),
      warnings: z.array(z.string()),
      /** Placeholders it needs filled before it can start, by name. */
      needs: z.array(z.string()),
    }),
  ),
  conflicts: z.array(
    z.object({ name: z.string(), inCatalog: z.boolean(), files: z.array(z.string()), suggestedNames: z.array(z.string()), message: z.string() }),
  ),
});
export type ImportPreview = z.infer<typeof ImportPreviewSchema>;

const EntryDecisionSchema = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('replace') }),
  z.strictObject({ action: z.literal('skip') }),
  z.strictObject({ action: z.literal('rename'), newName: serverName }),
]);
export const ImportDecisionsSchema = z.record(z.string(), z.union([EntryDecisionSchema, z.strictObject({ perFile: z.record(z.string(), EntryDecisionSchema) })]));
export type ImportDecisionsInput = z.infer<typeof ImportDecisionsSchema>;

/** One known config location of one host, and what is there. */
export const LocatedConfigSchema = z.object({
  host: z.string(),
  scope: z.enum(['user', 'project']),
  /** What the file is: `user mcp.json`, `workspace .vscode/mcp.json`. */
  label: z.string(),
  path: z.string(),
  exists: z.boolean(),
  /** How many servers the file has, when it reads. */
  servers: z.number().int().nonnegative().optional(),
  /** Why an existing file cannot be imported as it is. */
  problem: z.string().optional(),
});
export type LocatedConfig = z.infer<typeof LocatedConfigSchema>;

export const EXPORT_TARGETS = ['claude-desktop', 'vscode', 'cursor'] as const;

export const apiContract = {
  /** Introduces a window: its owner id tags the sessions it opens, so they close with it. */
  hello: {
    input: z.strictObject({ owner: z.string().min(8, 'an owner id has at least 8 characters').max(100) }),
    output: ConnectionInfoSchema,
  },
  listServers: { input: z.undefined(), output: z.array(ServerEntrySchema) },
  catalogStatus: { input: z.undefined(), output: CatalogStatusSchema },
  /** Sentences about what the start did that the user should hear of once (server processes a crash left, ended). */
  startupNotices: { input: z.undefined(), output: z.object({ notices: z.array(z.string()) }) },
  /** The app's settings as they apply now (defaults filled in). */
  getSettings: { input: z.undefined(), output: EffectiveSettingsSchema },
  /** Changes settings (only the fields given), saves them in the data folder and applies them at once. */
  updateSettings: { input: AppSettingsSchema, output: EffectiveSettingsSchema },
  addServer: { input: z.strictObject({ entry: ServerEntrySchema }), output: z.array(ServerEntrySchema) },
  updateServer: { input: z.strictObject({ name: serverName, entry: ServerEntrySchema }), output: z.array(ServerEntrySchema) },
  removeServer: { input: z.strictObject({ name: serverName }), output: z.array(ServerEntrySchema) },
  duplicateServer: { input: z.strictObject({ name: serverName }), output: z.array(ServerEntrySchema) },
  /**
   * What to ask before connecting a server: its VS Code inputs (`${input:id}`) that have no answer yet, with their
   * definitions, and where remembered answers are kept. No inputs: connect at once.
   */
  inputPrompt: { input: z.strictObject({ name: serverName }), output: InputPromptSchema },
  /**
   * Answers to a server's inputs, checked against its definitions (a pickString answer must be one of its options).
   * With `remember`, kept for later connects (sealed with the OS keychain, or in web mode until Patchbay stops);
   * without, used for the next connect only. Answers never come back through the api.
   */
  answerInputs: {
    input: z.strictObject({ name: serverName, answers: InputAnswersSchema, remember: z.boolean().default(false) }),
    output: z.object({ remembered: z.number().int() }),
  },
  /** Forgets a server's remembered (and pending) input answers: the next connect asks again. */
  forgetInputs: { input: z.strictObject({ name: serverName }), output: z.object({ forgotten: z.number().int() }) },
  /** The live sessions and the sequence number of the last event they include. */
  getSessions: { input: z.undefined(), output: z.object({ sessions: z.array(SessionSnapshotSchema), seq: z.number().int() }) },
  getStderr: { input: z.strictObject({ sessionId: z.string().min(1) }), output: z.object({ lines: z.array(z.string()) }) },
  /**
   * Reads MCP host config files and plans their import: files by path (the desktop app: dropped, opened or
   * passed on the command line) and/or by content (web mode, where the page reads dropped files itself).
   */
  planImport: {
    input: z
      .strictObject({
        paths: z.array(z.string().min(1)).max(50).default([]),
        files: z.array(z.strictObject({ name: z.string().min(1), text: z.string().max(5 * 1024 * 1024, 'a file is at most 5 MiB') })).max(50).default([]),
      })
      .refine((value) => value.paths.length + value.files.length > 0, { message: 'name at least one file to import' }),
    output: ImportPreviewSchema,
  },
  /** Applies a planned import with the user's decisions for conflicting names: all or nothing. */
  applyImport: {
    input: z.strictObject({
      planId: z.string().min(1),
      decisions: ImportDecisionsSchema.default({}),
      /** Files (read by path) to keep in sync: watched from now on, their changes offered for review. */
      watch: z.array(z.string().min(1)).max(50).optional(),
    }),
    output: z.object({
      catalog: z.array(ServerEntrySchema),
      added: z.array(z.string()),
      replaced: z.array(z.string()),
      renamed: z.array(z.object({ from: z.string(), to: z.string(), file: z.string() })),
      skipped: z.array(z.object({ name: z.string(), file: z.string() })),
    }),
  },
  /** The catalog, or some of its servers, written as another host's config file. */
  exportConfig: {
    input: z.strictObject({
      target: z.enum(EXPORT_TARGETS),
      names: z.array(serverName).optional(),
      /** Write secret values into the file (in clear); without it they are left empty. */
      includeSecrets: z.boolean().optional(),
    }),
    output: z.object({ fileName: z.string(), text: z.string(), warnings: z.array(z.string()) }),
  },
  /**
   * "Find my configs": looks in the known config locations of every supported host on this OS (only when called,
   * that is when the user presses the button) and says which exist, with each file's host and path and how many
   * servers it has, or why it cannot be imported. Import the chosen ones with planImport({ paths }).
   */
  findConfigs: {
    input: z.undefined(),
    output: z.object({ configs: z.array(LocatedConfigSchema) }),
  },
  /** The config files kept in sync, each with the change waiting for review (if any) and why it cannot be read (if so). */
  watchedConfigs: { input: z.undefined(), output: WatchedConfigsSchema },
  /** Stops keeping a file in sync; its servers stay in the catalog. */
  unwatchConfig: { input: z.strictObject({ path: z.string().min(1) }), output: WatchedConfigsSchema },
  /** Applies (`apply: true`, one catalog write) or declines a watched file's change the user reviewed (by its hash). */
  answerConfigChange: {
    input: z.strictObject({ path: z.string().min(1), hash: z.string().min(1), apply: z.boolean() }),
    output: z.object({ skipped: z.array(z.object({ name: z.string(), reason: z.string() })), watched: WatchedConfigsSchema }),
  },
  // OAuth (src-shared/oauth.ts). Every change of a server's auth state is also sent as an `auth-state` lifecycle event.
  /** A remote server's auth state: where its flow is, its steps with their exchanges (redacted), never a token. */
  getAuthState: { input: z.strictObject({ serverId: serverName }), output: ServerAuthStateSchema },
  /**
   * Starts signing in to a remote server (forgetting a finished flow's steps): `all` runs every step up to the
   * browser and on once it answers; `step` stops before each step until runNextAuthStep. Refused while one runs.
   */
  startAuthFlow: {
    input: z.strictObject({ serverId: serverName, mode: z.enum(AUTH_FLOW_MODES).default('all') }),
    output: ServerAuthStateSchema,
  },
  /** In step mode: runs the next step and answers with the state after it (the browser step answers once the URL is ready). */
  runNextAuthStep: { input: z.strictObject({ serverId: serverName }), output: ServerAuthStateSchema },
  /** Stops the flow under way (closing its loopback receiver); a token the server had is kept. */
  cancelAuthFlow: { input: z.strictObject({ serverId: serverName }), output: ServerAuthStateSchema },
  /** Forgets the server's tokens (its next request needs sign-in again). */
  signOut: { input: z.strictObject({ serverId: serverName }), output: ServerAuthStateSchema },
  /** The process monitor's children (one server's with `server`): trees, figures, ended ones, leaks. */
  getProcesses: {
    input: z
      .strictObject({
        server: serverName.optional(),
        /** At most this many of each history, the newest (all that is kept without it). */
        samples: z.number().int('samples must be a whole number').min(1, 'samples must be at least 1').max(600, 'at most 600 samples are kept').optional(),
      })
      .default({}),
    output: ProcessesSnapshotSchema,
  },
  /**
   * Keeps the process monitor sampling (about once a second) for `seconds`; a view that shows processes renews it
   * while it is open, so sampling stops soon after the last one closes. Its ticks arrive as process-sample events.
   */
  watchProcesses: {
    input: z.strictObject({ seconds: z.number({ error: 'seconds must be a number' }).min(1, 'watch for at least 1 second').max(300, 'watch for at most 300 seconds at a time; renew it') }),
    output: z.object({ until: z.number() }),
  },
  /** Ends a process Patchbay recorded in the tree of a server whose session has ended (a leaked one): TERM, then KILL. */
  endProcess: { input: z.strictObject({ pid: PidSchema }), output: EndProcessResultSchema },
  /** Starts a stress run of a server through the proxy (one at a time per server); its progress comes as `stress` events. */
  startStress: { input: StressSettingsSchema, output: z.object({ runId: z.string() }) },
  /** Stops a run: every call in flight cancelled, every session it opened closed; answers with the run as saved. */
  stopStress: { input: z.strictObject({ runId: z.string().min(1) }), output: StressRunSchema },
  /** The progress of the runs under way (a window that opens mid-run starts from here). */
  stressStatus: { input: z.undefined(), output: z.object({ runs: z.array(StressProgressSchema) }) },
  /** The saved runs, newest first, of one server or all; `problems` names saved files that could not be read. */
  listStressRuns: {
    input: z.strictObject({ server: z.string().min(1).optional() }),
    output: z.object({ runs: z.array(StressRunSummarySchema), problems: z.array(z.string()) }),
  },
  getStressRun: { input: z.strictObject({ id: z.string().min(1) }), output: StressRunSchema },
  removeStressRun: { input: z.strictObject({ id: z.string().min(1) }), output: z.object({ removed: z.string() }) },
  /** A saved run as a file: the run as JSON, or its summary, per-second series and histogram as CSV. */
  exportStressRun: {
    input: z.strictObject({ id: z.string().min(1), format: z.enum(['json', 'csv']) }),
    output: z.object({ fileName: z.string(), text: z.string() }),
  },
  /** Every server's fault plan (fault injection, src-shared/faults.ts); servers without one are absent. */
  getFaults: { input: z.undefined(), output: FaultPlansSchema },
  /** Sets a server's fault plan (a random seed when it names none) and answers with it as it applies. */
  setFaults: { input: z.strictObject({ server: serverName, plan: FaultPlanInputSchema }), output: FaultPlanSchema },
  /** Clears a server's fault plan: the proxy is transparent for it again. */
  clearFaults: { input: z.strictObject({ server: serverName }), output: z.object({ cleared: z.boolean() }) },
  /**
   * Diagnoses a catalog server step by step (services/doctor): the command, the process, stdout, the handshake; or
   * the URL, DNS, TCP, TLS, HTTP status, transport, handshake. Starts its own child, never the proxy's sessions.
   */
  diagnoseServer: { input: z.strictObject({ server: serverName }), output: DoctorReportSchema },
  /** Starts recording one server's messages (both ways, with times), or every server's when none is named. */
  startRecording: { input: z.strictObject({ server: serverName.optional(), name: z.string().trim().min(1).max(200).optional() }), output: ActiveRecordingSchema },
  /** Stops a recording and saves it in the data folder's recordings/. */
  stopRecording: { input: z.strictObject({ id: recordingId }), output: RecordingSummarySchema },
  /** The recordings under way. */
  recordingStatus: { input: z.undefined(), output: z.object({ recordings: z.array(ActiveRecordingSchema) }) },
  /** The saved recordings, newest first; `problems` names saved files that could not be read. */
  listRecordings: { input: z.undefined(), output: z.object({ recordings: z.array(RecordingSummarySchema), problems: z.array(z.string()) }) },
  /** A saved recording whole (to open it in a timeline). */
  getRecording: { input: z.strictObject({ id: recordingId }), output: RecordingSchema },
  /** A saved recording as a portable file. */
  exportRecording: { input: z.strictObject({ id: recordingId }), output: z.object({ fileName: z.string(), text: z.string() }) },
  /** Adds a recording file the user chose to the saved ones; a file that is not a recording is refused saying why. */
  importRecording: {
    input: z.strictObject({ fileName: z.string().min(1).max(500), text: z.string().max(512 * 1024 * 1024, 'a recording file is at most 512 MB') }),
    output: RecordingSummarySchema,
  },
  removeRecording: { input: z.strictObject({ id: recordingId }), output: z.object({ removed: z.string() }) },
  /** Replays a saved recording against a server through the proxy and compares every response with the recorded one. */
  replayRecording: {
    input: z.strictObject({ id: recordingId, server: serverName, recordedServer: serverName.optional(), ignore: z.array(z.string().max(1000)).max(200).optional() }),
    output: ReplayResultSchema,
  },
  /** Snapshots what a server offers now (tools with schemas, resources, templates, prompts) and saves it under the server. */
  takeSnapshot: { input: z.strictObject({ server: serverName }), output: SnapshotSummarySchema },
  /** The saved snapshots, of one server or all, newest first; `problems` names saved files that could not be read. */
  listSnapshots: { input: z.strictObject({ server: serverName.optional() }), output: z.object({ snapshots: z.array(SnapshotSummarySchema), problems: z.array(z.string()) }) },
  /** A saved snapshot whole. */
  getSnapshot: { input: z.strictObject({ id: snapshotId }), output: ServerSnapshotSchema },
  /** A saved snapshot as a portable file (the one `npm run diff` takes). */
  exportSnapshot: { input: z.strictObject({ id: snapshotId }), output: z.object({ fileName: z.string(), text: z.string() }) },
  /** Adds a snapshot file the user chose to the saved ones; a file that is not a snapshot is refused saying why. */
  importSnapshot: {
    input: z.strictObject({ fileName: z.string().min(1).max(500), text: z.string().max(64 * 1024 * 1024, 'a snapshot file is at most 64 MB') }),
    output: SnapshotSummarySchema,
  },
  removeSnapshot: { input: z.strictObject({ id: snapshotId }), output: z.object({ removed: z.string() }) },
  /** The classified changes (breaking, additive, cosmetic) from one saved snapshot to another. */
  diffSnapshots: { input: z.strictObject({ before: snapshotId, after: snapshotId }), output: ServerDiffSchema },
  /**
   * Serves an MCP App's document (a ui:// resource the renderer read from its server) from the sandbox origin, with
   * the CSP its declaration asks for as a header; answers with the URL for the app's iframe.
   */
  openAppDocument: { input: OpenAppDocumentSchema, output: OpenedAppDocumentSchema },
} as const;

export type ApiContract = typeof apiContract;
export type ApiMethod = keyof ApiContract;

// The zod-free name list (api-names.ts) and the contract name the same methods: this fails to compile otherwise.
type Exactly<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const namesMatchContract: Exactly<ApiMethod, ApiMethodName> = true;
void namesMatchContract;
export type ApiInput<M extends ApiMethod> = z.input<ApiContract[M]['input']>;
export type ApiOutput<M extends ApiMethod> = z.output<ApiContract[M]['output']>;

/** Every method name, for building the preload's named methods and registering handlers. */
export const API_METHODS: readonly ApiMethod[] = API_METHOD_NAMES;

/** The events main pushes to the renderer. */
export const API_EVENTS = {
  lifecycle: LifecycleEventSchema,
  catalog: z.array(ServerEntrySchema),
  /** Files to import that reached the app outside the page: File → Open, the command line, a second launch. */
  openFiles: z.object({ paths: z.array(z.string()) }),
  /** Events were dropped here because the window fell behind; newer ones follow. Take a new snapshot. */
  dropped: DroppedNoticeSchema,
  /** A Help menu item was chosen: run that shortcut's action, as its keys would (desktop app only). */
  shortcut: z.strictObject({ id: z.enum(SHORTCUT_IDS) }),
  /** A stress run's progress, a few times a second, and its end (`done`, with the run). */
  stress: StressProgressSchema,
} as const;
const eventsMatchNames: Exactly<keyof typeof API_EVENTS, ApiEventName> = true;
void eventsMatchNames;
export type ApiEventPayload = { lifecycle: LifecycleEvent; catalog: ServerEntry[]; openFiles: { paths: string[] }; dropped: DroppedNotice; shortcut: { id: ShortcutId }; stress: StressProgress };

/** What the preload sends on IPC_CHANNELS.eventsAck: events handled since the last one, or that the page (re)started. */
export const EventsAckSchema = z.union([z.strictObject({ handled: z.number().int().min(1).max(1_000_000) }), z.strictObject({ started: z.literal(true) })]);
export type EventsAck = z.infer<typeof EventsAckSchema>;

/** The api object the renderer is given: one named method per contract entry, plus event subscriptions. */
export type PatchbayApi = {
  [M in ApiMethod]: ApiInput<M> extends undefined ? () => Promise<ApiOutput<M>> : (input: ApiInput<M>) => Promise<ApiOutput<M>>;
} & {
  /** Subscribes to lifecycle events; returns the unsubscribe function. */
  onLifecycleEvent(listener: (event: LifecycleEvent) => void): () => void;
  /** Subscribes to catalog changes; returns the unsubscribe function. */
  onCatalogChanged(listener: (entries: ServerEntry[]) => void): () => void;
  /** Subscribes to files the app was asked to open (desktop app only). */
  onOpenFiles?(listener: (payload: { paths: string[] }) => void): () => void;
  /** The file-system path of a dropped file (desktop app only; the web page cannot see paths). */
  pathForFile?(file: File): string;
  /** Subscribes to notices that events were dropped because the page fell behind (desktop app; web mode has its own). */
  onEventsDropped?(listener: (notice: DroppedNotice) => void): () => void;
  /** Subscribes to shortcut actions chosen in the desktop app's menu. */
  onShortcut?(listener: (payload: { id: ShortcutId }) => void): () => void;
  /** Subscribes to stress runs' progress; returns the unsubscribe function. */
  onStressProgress(listener: (progress: StressProgress) => void): () => void;
};

/** The error a failed api call rejects with in the renderer. */
export class ApiCallError extends Error {
  override readonly name = 'ApiCallError';
  constructor(
    readonly method: string,
    message: string,
    readonly code: ApiErrorCode,
  ) {
    super(message);
  }
}

/** Unwraps a call's result, throwing ApiCallError on failure. */
export function unwrapApiResult<T>(method: string, result: ApiResult<T>): T {
  if (result.ok) return result.value;
  throw new ApiCallError(method, result.error.message, result.error.code);
}

/**
 * What the Electron preload exposes as `window.patchbay`: the same named methods, answering with the result as
 * data (an Error thrown across the context bridge would lose its class and code), and the event subscriptions.
 * The renderer turns it into a PatchbayApi (src-renderer/src/api/electron-api.ts).
 */
export type PreloadApi = {
  [M in ApiMethod]: (input?: ApiInput<M>) => Promise<ApiResult<ApiOutput<M>>>;
} & Pick<PatchbayApi, 'onLifecycleEvent' | 'onCatalogChanged' | 'onStressProgress'> &
  Required<Pick<PatchbayApi, 'onOpenFiles' | 'pathForFile' | 'onEventsDropped' | 'onShortcut'>>;
