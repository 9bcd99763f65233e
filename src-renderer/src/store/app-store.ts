import { create } from 'zustand';
import type { ServerEntry } from '../../../src-shared/catalog';
import type { LinkState } from '../api/event-stream';
import type { ServerConnection } from '../mcp/connection-manager';
import { EMPTY_SESSIONS, type SessionsState } from './session-events';

/** Everything the UI renders. Only the runtime (src/app-runtime.ts) writes it; components read it with selectors. */
export interface AppState {
  /** Start-up: the UI shows a placeholder until `ready`, and the reason if it `failed`. */
  boot: { status: 'starting' | 'ready' | 'failed'; error?: string };
  /** Health of the link to main (web mode's event stream). */
  link: LinkState;
  /** This window's owner id: the sessions it opened carry it. */
  owner: string;
  catalog: ServerEntry[];
  /** Set when the saved catalog could not be read. */
  catalogProblem?: string;
  /** What the start did that the user should hear of once (server processes a crashed run left, ended). */
  startupNotices?: string[];
  sessions: SessionsState;
  /** The connection manager's view of each server (desired state, phase, client-side errors). */
  connections: Readonly<Record<string, ServerConnection>>;
  /** Set when main dropped events for this window (it fell behind): how many, why, and when; the user may dismiss it. */
  eventsDropped?: { count: number; reason: string; at: number };
  /** Name of the server shown in the detail pane. */
  selected?: string;
}

/** The app's one store. */
export const useAppStore = create<AppState>()(() => ({
  boot: { status: 'starting' },
  link: { status: 'connecting' },
  owner: '',
  catalog: [],
  sessions: EMPTY_SESSIONS,
  connections: {},
}));
