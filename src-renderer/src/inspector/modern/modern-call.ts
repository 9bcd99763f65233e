/**
 * What a modern-era tool call, resource read or prompt get adds to its request: the Request options' `_meta` (with
 * the per-request log level), and its registration as the origin of the input requests its rounds ask for (so the
 * Requests tab's cards can say what they are for). A legacy connection gets none of it: its requests go as before.
 */
import type { Client } from '@modelcontextprotocol/client';
import { beginInputOrigin } from './input-origin';
import { requestMetaFor } from './request-options';

/** Whether the connection negotiated the modern era (2026-07-28). */
export function isModern(client: Client): boolean {
  return client.getProtocolEra() === 'modern';
}

export interface ModernCall {
  /** Whether the call is a modern one (what it adds applies). */
  active: boolean;
  /** Request options for the SDK: a progress callback, so the SDK's round reports reach `progress` (modern only). */
  options: { onprogress?: (progress: { progress: number; total?: number; message?: string }) => void };
  /** The `_meta` to merge into the request's params (undefined: nothing to add). */
  meta?: Record<string, unknown>;
  /** Takes the call's progress reports; true for the SDK's own "round N" reports of a Multi Round-Trip Request. */
  progress(progress: { progress: number; total?: number; message?: string }): boolean;
  /** The call ended (its input requests no longer belong to it). */
  end(): void;
}

const LEGACY_CALL: ModernCall = { active: false, options: {}, progress: () => false, end: () => {} };

/**
 * Prepares a call of `method` on `target` (tool or prompt name, resource URI). Throws with a readable message when
 * the Request options' `_meta` is not a JSON object, so the call is not sent with options the user did not mean.
 */
export function prepareModernCall(server: string, client: Client, method: string, target: string): ModernCall {
  if (!isModern(client)) return LEGACY_CALL;
  const meta = requestMetaFor(server);
  const origin = beginInputOrigin(server, { method, target });
  const progress = (report: { progress: number; message?: string }) => origin.round(report);
  return { active: true, ...(meta ? { meta } : {}), options: { onprogress: (report) => void progress(report) }, progress, end: () => origin.end() };
}
