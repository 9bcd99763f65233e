import { create } from 'zustand';

/** success and info fade after a few seconds; an error stays until the user dismisses it. */
export type NotificationKind = 'success' | 'info' | 'error';

export interface AppNotification {
  id: number;
  kind: NotificationKind;
  text: string;
  /** When it was raised (ms since the epoch). */
  at: number;
  /** Names a state that lasts (the link is down): a newer notice of it replaces this one on screen. */
  key?: string;
}

export interface NotifyOptions {
  /** A lasting state's name: its notice replaces an older one of the same key on screen, and `withdraw` removes it. */
  key?: string;
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
  notify(kind: NotificationKind, text: string, options?: NotifyOptions): void;
  /** Takes a toast off the screen (it stays in the list). */
  dismissToast(id: number): void;
  /** The state a key named is over: its toast leaves the screen (it stays in the list). */
  withdraw(key: string): void;
  markSeen(): void;
  clear(): void;
}

let nextId = 1;

/**
 * The one place transient results (an import done, a copy, an export saved), app-wide notices (events dropped, what
 * the start cleaned up) and errors (the catalog unreadable, the link to Patchbay lost) go to be shown.
 */
export const useNotificationStore = create<NotificationState>((set) => ({
  history: [],
  toasts: [],
  unseen: 0,
  notify(kind, text, options) {
    const key = options?.key;
    set((state) => {
      // The same lasting state said again in the same words (a reconnect that failed once more) is no news.
      if (key !== undefined && state.toasts.some((toast) => toast.key === key && toast.kind === kind && toast.text === text)) return state;
      const notification: AppNotification = { id: nextId++, kind, text, at: Date.now(), ...(key === undefined ? {} : { key }) };
      const others = key === undefined ? state.toasts : state.toasts.filter((toast) => toast.key !== key);
      return { history: [...state.history, notification].slice(-KEEP), toasts: [...others, notification], unseen: state.unseen + 1 };
    });
  },
  dismissToast: (id) => set((state) => ({ toasts: state.toasts.filter((toast) => toast.id !== id) })),
  withdraw: (key) => set((state) => ({ toasts: state.toasts.filter((toast) => toast.key !== key) })),
  markSeen: () => set({ unseen: 0 }),
  clear: () => set({ history: [], toasts: [], unseen: 0 }),
}));

/** For code outside React: `notify('success', 'Copied')`. */
export function notify(kind: NotificationKind, text: string, options?: NotifyOptions): void {
  useNotificationStore.getState().notify(kind, text, options);
}

/** For code outside React: the lasting state `key` named is over. */
export function withdrawNotice(key: string): void {
  useNotificationStore.getState().withdraw(key);
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
