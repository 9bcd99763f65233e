/**
 * Per-request options of the modern era: extra `_meta` the user types as JSON and the log level
 * (`io.modelcontextprotocol/logLevel`), merged into the `_meta` of tool calls, resource reads and prompt gets.
 * The SDK adds its own envelope keys (protocol version, client info and capabilities); what the user sets wins,
 * as the SDK documents, so a developer can also send a deliberately wrong envelope.
 */
import { LOG_LEVEL_META_KEY } from '@modelcontextprotocol/client';
import { requestOptionsOf, useModernStore, type RequestOptions } from './modern-store';

/** The `_meta` the options add, or why they cannot be used as typed. */
export type MetaOutcome = { meta: Record<string, unknown> | undefined } | { error: string };

/** Reads the options into the `_meta` to send: the typed object, with the log level, or undefined when both are empty. */
export function buildRequestMeta(options: RequestOptions): MetaOutcome {
  let meta: Record<string, unknown> = {};
  if (options.metaText.trim() !== '') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(options.metaText);
    } catch (error) {
      return { error: `_meta is not valid JSON: ${error instanceof Error ? error.message : String(error)}` };
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { error: '_meta must be a JSON object, like {"trace": "abc"}' };
    meta = parsed as Record<string, unknown>;
  }
  if (options.logLevel !== undefined) meta = { ...meta, [LOG_LEVEL_META_KEY]: options.logLevel };
  return { meta: Object.keys(meta).length === 0 ? undefined : meta };
}

/** The `_meta` a server's request options add right now (for the views' calls). Throws when it cannot be read. */
export function requestMetaFor(server: string): Record<string, unknown> | undefined {
  const outcome = buildRequestMeta(requestOptionsOf(useModernStore.getState(), server));
  if ('error' in outcome) throw new Error(`Request options: ${outcome.error}`);
  return outcome.meta;
}

/** Params with the options' `_meta` merged over the params' own (the user's keys win). */
export function withRequestMeta<P extends object>(params: P, meta: Record<string, unknown> | undefined): P & { _meta?: Record<string, unknown> } {
  if (!meta) return params;
  const own = (params as { _meta?: Record<string, unknown> })._meta;
  return { ...params, _meta: { ...own, ...meta } };
}

/** A short summary for the disclosure's label: "log level debug · 2 _meta keys", or "none". */
export function describeRequestOptions(options: RequestOptions): string {
  const outcome = buildRequestMeta(options);
  if ('error' in outcome) return 'invalid _meta';
  const parts: string[] = [];
  if (options.logLevel) parts.push(`log level ${options.logLevel}`);
  const extra = Object.keys(outcome.meta ?? {}).filter((key) => key !== LOG_LEVEL_META_KEY).length;
  if (extra > 0) parts.push(`${extra} _meta key${extra === 1 ? '' : 's'}`);
  return parts.length === 0 ? 'none' : parts.join(' · ');
}
