import type { CloseReason } from '../../../src-shared/events';

/** Closes caused by the upstream: the client is told why and given a moment to hear it. */
export const UPSTREAM_CAUSED: ReadonlySet<CloseReason> = new Set(['upstream-failed', 'upstream-closed', 'child-exited', 'needs-sign-in']);

/** The sentence lives in src-shared: the renderer's timeline names a session's end the same way. */
export { closeSentence } from '../../../src-shared/close-sentences';
