/**
 * Tells a link the user just clicked (or activated with the keyboard) from a navigation a script started. Chromium
 * reports the window's real input events to the main process (`input-event`); a page cannot forge those, so a
 * navigation that follows one within a moment is the user's own. Only such navigations may reach
 * `shell.openExternal`: a compromised or buggy page must not be able to launch the system browser (or any
 * other handler) on its own.
 */
export class UserGestures {
  private lastAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly windowMs = 1_000) {}

  /** Records one of the window's input events (Electron's InputEvent type). */
  note(inputType: string, now = Date.now()): void {
    if (ACTIVATING_INPUTS.has(inputType)) this.lastAt = now;
  }

  /** Whether the user clicked or pressed a key within the last moment. */
  isRecent(now = Date.now()): boolean {
    return now - this.lastAt <= this.windowMs;
  }
}

/** The inputs that activate a link: a click's release, Enter or Space on a focused link. */
const ACTIVATING_INPUTS: ReadonlySet<string> = new Set(['mouseUp', 'keyDown', 'rawKeyDown', 'keyUp']);
