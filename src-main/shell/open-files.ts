import { existsSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';

/**
 * The config files named on a command line: arguments that are existing files (flags and Electron's own arguments
 * are not). Relative paths are taken from the folder the command ran in (a second launch passes its own).
 */
export function configPathsFromArgv(argv: readonly string[], workingDirectory: string): string[] {
  return argv
    .filter((argument) => !argument.startsWith('-'))
    .map((argument) => (isAbsolute(argument) ? argument : resolve(workingDirectory, argument)))
    .filter((path) => /\.(jsonc?|ya?ml)$/i.test(path) && existsSync(path) && statSync(path).isFile());
}

/**
 * Files to open, held until a window's page is ready to hear about them, so none are lost: not at start-up (macOS
 * sends open-file before the app is ready), and not while no window is open (macOS keeps the app running).
 */
export class OpenFilesQueue {
  private pending: string[] = [];
  /** Hands paths to the page; false when the page is gone (they stay queued for the next one). */
  private deliver?: (paths: string[]) => boolean;

  /** Adds paths; they go out at once if a page is ready. */
  add(paths: readonly string[]): void {
    if (paths.length === 0) return;
    this.pending.push(...paths);
    this.flush();
  }

  /** A page is ready: everything queued goes to it, and later paths too, until `deliver` says the page is gone. */
  ready(deliver: (paths: string[]) => boolean): void {
    this.deliver = deliver;
    this.flush();
  }

  private flush(): void {
    if (!this.deliver || this.pending.length === 0) return;
    if (!this.deliver(this.pending)) {
      this.deliver = undefined;
      return;
    }
    this.pending = [];
  }

  /** Whether paths wait for a page. */
  get waiting(): boolean {
    return this.pending.length > 0;
  }
}
