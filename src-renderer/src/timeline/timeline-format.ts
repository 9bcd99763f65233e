import type { MessageDirection, MessageEvent } from '../../../src-shared/events';

/** "14:03:07.042": local wall-clock time with milliseconds. */
export function formatClock(at: number): string {
  const time = new Date(at);
  const pad = (value: number, width = 2) => String(value).padStart(width, '0');
  return `${pad(time.getHours())}:${pad(time.getMinutes())}:${pad(time.getSeconds())}.${pad(time.getMilliseconds(), 3)}`;
}

/** "812 B", "4.2 KB", "1.3 MB". */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** "12 ms", "1.25 s". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}

/** → for client to server, ← for server to client. */
export function directionArrow(direction: MessageDirection): string {
  return direction === 'client-to-server' ? '→' : '←';
}

/** "client → server" / "server → client", for labels. */
export function directionLabel(direction: MessageDirection): string {
  return direction === 'client-to-server' ? 'client → server' : 'server → client';
}

/** "req", "res", "note": the kind column's short text. */
export function kindLabel(kind: MessageEvent['kind']): string {
  return kind === 'request' ? 'req' : kind === 'response' ? 'res' : 'note';
}

/** 12,345 */
export function formatCount(count: number): string {
  return count.toLocaleString('en-US');
}
