/** The part of a quit event the coordinator needs (Electron's before-quit event has it). */
export interface PreventableEvent {
  preventDefault(): void;
}

/**
 * Makes quitting wait for cleanup: the first quit request is held back while `cleanup` runs (closing every session
 * and ending every child), then `quit` is called again and goes through. Any number of quit requests (window
 * closed, Cmd-Q, SIGTERM) run the cleanup once.
 */
export function createQuitCoordinator(cleanup: () => Promise<void>, quit: () => void, report: (error: unknown) => void = console.error) {
  let state: 'running' | 'cleaning' | 'done' = 'running';
  return {
    /** Handler for before-quit. */
    onBeforeQuit(event: PreventableEvent): void {
      if (state === 'done') return;
      event.preventDefault();
      if (state === 'cleaning') return;
      state = 'cleaning';
      cleanup()
        .catch(report)
        .finally(() => {
          state = 'done';
          quit();
        });
    },
    get state() {
      return state;
    },
  };
}

/**
 * On macOS the app keeps running with no window open, as Mac users expect (the Dock icon opens a new one); on the
 * other platforms closing the last window quits. Either way a quit runs the coordinator above.
 */
export function quitsWhenAllWindowsClosed(platform: NodeJS.Platform): boolean {
  return platform !== 'darwin';
}
