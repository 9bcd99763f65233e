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
  sessions: SessionsState;
  /** The connection manager's view of each server (desired state, phase, client-side errors). */
  connections: Readonly<Record<string, ServerConnection>>;
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
