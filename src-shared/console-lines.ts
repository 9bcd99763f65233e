/**
 * A stdio server's console holds its stderr lines and, marked, the lines it wrote to stdout that were not JSON-RPC
 * (a banner, a stray console.log), so both show in one place in the order they came.
 */
const STDOUT_MARK = '[stdout] ';

/** How a stdout line reads in the console. */
export function markStdoutLine(line: string): string {
  return `${STDOUT_MARK}${line}`;
}

/** Whether a console line came from stdout. */
export function isStdoutLine(consoleLine: string): boolean {
  return consoleLine.startsWith(STDOUT_MARK);
}
