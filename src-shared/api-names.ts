/**
 * The api's method and event names and its IPC channel names, with no dependency at all: the Electron preload is
 * built from this file alone, because a sandboxed preload can load nothing but `electron` and a few built-ins.
 * `api-contract.ts` defines a schema for every name here, and the type check there fails when the two differ.
 */
export const API_METHOD_NAMES = [
  'hello',
  'listServers',
  'catalogStatus',
  'startupNotices',
  'getSettings',
  'updateSettings',
  'addServer',
  'updateServer',
  'removeServer',
  'duplicateServer',
  'inputPrompt',
  'answerInputs',
  'forgetInputs',
  'getSessions',
  'getStderr',
  'planImport',
  'applyImport',
  'exportConfig',
  'findConfigs',
  'watchedConfigs',
  'unwatchConfig',
  'answerConfigChange',
  'getAuthState',
  'startAuthFlow',
  'runNextAuthStep',
  'cancelAuthFlow',
  'signOut',
  'getProcesses',
  'watchProcesses',
  'endProcess',
  'startStress',
  'stopStress',
  'stressStatus',
  'listStressRuns',
  'getStressRun',
  'removeStressRun',
  'exportStressRun',
  'getFaults',
  'setFaults',
  'clearFaults',
  'startRecording',
  'stopRecording',
  'recordingStatus',
  'listRecordings',
  'getRecording',
  'exportRecording',
  'importRecording',
  'removeRecording',
  'replayRecording',
  'diagnoseServer',
  'takeSnapshot',
  'listSnapshots',
  'getSnapshot',
  'exportSnapshot',
  'importSnapshot',
  'removeSnapshot',
  'diffSnapshots',
  'openAppDocument',
] as const;
export type ApiMethodName = (typeof API_METHOD_NAMES)[number];

export const API_EVENT_NAMES = ['lifecycle', 'catalog', 'openFiles', 'dropped', 'shortcut', 'stress'] as const;
export type ApiEventName = (typeof API_EVENT_NAMES)[number];

/** The events main sends a window through its flow control (the others, like openFiles, are sent on their own). */
export const ACKED_EVENT_NAMES = ['lifecycle', 'catalog', 'dropped'] as const satisfies readonly ApiEventName[];

/** IPC channel names: one per api method and one per event, all in one place. */
export const IPC_CHANNELS = {
  invoke: (method: ApiMethodName) => `patchbay:invoke:${method}`,
  event: (name: ApiEventName) => `patchbay:event:${name}`,
  /** The preload tells main how many events the window has handled, so main sends no more than it can take. */
  eventsAck: 'patchbay:events-ack',
} as const;

/** How a call's outcome crosses IPC or HTTP: errors travel as data, with a readable message. */
export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: { message: string; code: ApiErrorCode } };
export type ApiErrorCode = 'invalid-payload' | 'unknown-method' | 'rejected' | 'internal';
