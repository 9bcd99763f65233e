/** A space-separated scope string (RFC 6749 §3.3) as a list, without repeats. */
export function scopeList(scope: string | undefined): string[] {
  return [...new Set((scope ?? '').split(/\s+/).filter((item) => item !== ''))];
}

/** Both lists together, in order, without repeats: what a step-up asks for (MCP Authorization, Step-Up). */
export function scopeUnion(first: readonly string[], second: readonly string[]): string[] {
  return [...new Set([...first, ...second])];
}

/** Whether every scope of `wanted` is in `granted` (a step-up asking for nothing new would not help). */
export function coversScopes(granted: readonly string[], wanted: readonly string[]): boolean {
  const have = new Set(granted);
  return wanted.every((scope) => have.has(scope));
}
