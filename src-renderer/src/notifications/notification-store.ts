import { create } from 'zustand';

/** success and info fade after a few seconds; an error stays until the user dismisses it. */
export type NotificationKind = 'success' | 'info' | 'error';

export interface AppNotification {
  id: number;
  kind: NotificationKind;
  text: string;
  /** When it was raised (ms since the epoch). */
  at: number;
}

/** How long a transient notification stays on screen (not counting time under the pointer or focus). */
export const TOAST_MS = 5000;
/** The list keeps this many; older ones fall off. */
const KEEP = 100;

interface NotificationState {
  /** Every notification raised, oldest first (the list behind the Notifications button). */
  history: AppNotification[];
  /** The ones on screen now as toasts. */
  toasts: AppNotification[];
  /** How many arrived since the list was last opened. */
  unseen: number;
  notify(kind: NotificationKind, text: string): void;
  /** Takes a toast off the screen (it stays in the list). */
  dismissToast(id: number): void;
  markSeen(): void;
  clear(): void;
}

let nextId = 1;

/** The one place transient results (an import done, a copy, an export saved) and errors go to be shown. */
export const useNotificationStore = create<NotificationState>((set) => ({
  history: [],
  toasts: [],
  unseen: 0,
  notify(kind, text) {
    const notification = { id: nextId++, kind, text, at: Date.now() };
    set((state) => ({ history: [...state.history, notification].slice(-KEEP), toasts: [...state.toasts, notification], unseen: state.unseen + 1 }));
  },
  dismissToast: (id) => set((state) => ({ toasts: state.toasts.filter((toast) => toast.id !== id) })),
  markSeen: () => set({ unseen: 0 }),
  clear: () => set({ history: [], toasts: [], unseen: 0 }),
}));

/** For code outside React: `notify('success', 'Copied')`. */
export function notify(kind: NotificationKind, text: string): void {
  useNotificationStore.getState().notify(kind, text);
}

/** Copies text to the clipboard and says so (or why not) as a notification. */
export async function copyWithNotice(text: string, what: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    notify('success', `Copied ${what} to the clipboard`);
  } catch (error) {
    notify('error', `Could not copy ${what}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
