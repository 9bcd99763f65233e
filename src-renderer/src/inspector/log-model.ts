/**
 * Log messages (`notifications/message`) as the inspector's log list keeps them.
 */
import type { LoggingLevel } from '@modelcontextprotocol/client';

/** The levels, from the most to the least verbose (syslog order, as MCP defines them). */
export const LOGGING_LEVELS: readonly LoggingLevel[] = ['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency'];

/** How many log entries a server keeps; older ones are dropped. */
export const MAX_LOG_ENTRIES = 500;

/** One log message. */
export interface LogEntry {
  id: number;
  at: number;
  level: LoggingLevel;
  logger?: string;
  /** The data as text: strings as they are, anything else as JSON. */
  text: string;
}

let nextLogId = 1;

/** A log entry from a notification's params. */
export function toLogEntry(params: { level: LoggingLevel; logger?: string; data?: unknown }, at: number): LogEntry {
  const text = typeof params.data === 'string' ? params.data : (JSON.stringify(params.data) ?? String(params.data));
  return { id: nextLogId++, at, level: params.level, logger: params.logger, text };
}

/** The list with items appended, keeping only the newest `max`. */
export function appendCapped<T>(list: readonly T[], items: readonly T[], max: number): T[] {
  const next = [...list, ...items];
  return next.length > max ? next.slice(next.length - max) : next;
}

/** How severe a level is, 0 (debug) to 7 (emergency): for colouring. */
export function levelSeverity(level: LoggingLevel): number {
  return Math.max(0, LOGGING_LEVELS.indexOf(level));
}
