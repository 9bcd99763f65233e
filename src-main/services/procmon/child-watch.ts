/**
 * What the proxy tells the process monitor of each stdio child it starts (legacy sessions' and the modern era's
 * shared children): kept apart from the monitor so the proxy depends on these three calls only.
 */
export interface WatchedChildInfo {
  pid: number;
  server: string;
  /** The session the child serves, or the channel of its server's shared child (`modern:<server>`). */
  sessionId: string;
  era: 'legacy' | 'modern';
  command: string;
  args: string[];
}

export interface ChildWatchHandle {
  stderrLine(line: string): void;
  /** The child's tree was ended (or ended by itself); `exit` says how the child did, when it is known. */
  ended(exit: { code: number | null; signal: string | null } | undefined): void;
}

export interface ChildProcessWatch {
  childStarted(info: WatchedChildInfo): ChildWatchHandle;
}
