import type { UpstreamTransportKind } from '../../../src-shared/catalog';

/** How hosts spell transports, lower-cased, mapped to Patchbay's names. */
const TRANSPORT_SPELLINGS: Readonly<Record<string, UpstreamTransportKind>> = {
  stdio: 'stdio',
  sse: 'sse',
  http: 'streamable-http',
  'streamable-http': 'streamable-http',
  streamablehttp: 'streamable-http',
  // Goose writes its extension types in snake case.
  streamable_http: 'streamable-http',
};

/** The spellings accepted in a `type` field, for error messages. */
export const KNOWN_TRANSPORT_SPELLINGS = ['stdio', 'http', 'streamable-http', 'streamableHttp', 'sse'] as const;

/** Maps a host's transport spelling ("http", "streamableHttp", "streamable_http", "sse", ...) to Patchbay's; undefined when unknown. */
export function normalizeTransport(spelling: string): UpstreamTransportKind | undefined {
  const key = spelling.trim().toLowerCase();
  return Object.hasOwn(TRANSPORT_SPELLINGS, key) ? TRANSPORT_SPELLINGS[key] : undefined;
}
