/** "just now", "12 s ago", "5 min ago", "3 h ago", "2 d ago": how long ago `then` was, compactly. */
export function formatRelativeTime(then: number, now: number): string {
  const seconds = Math.max(0, Math.round((now - then) / 1000));
  if (seconds < 5) return 'just now';
  if (seconds < 60) return `${seconds} s ago`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  return `${Math.floor(hours / 24)} d ago`;
}

/** The human name of a transport. */
export function transportLabel(transport: string): string {
  switch (transport) {
    case 'stdio':
      return 'STDIO';
    case 'streamable-http':
      return 'Streamable HTTP';
    case 'sse':
      return 'SSE';
    default:
      return transport;
  }
}
