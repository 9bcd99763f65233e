/**
 * The protocol era a server is spoken to in. Legacy MCP (2025-11-25 and earlier) starts with `initialize` and keeps a
 * session; modern MCP (2026-07-28) is stateless and starts with `server/discover`. Each catalog entry says which one
 * the inspector uses: Auto (the default) asks `server/discover` first and falls back to `initialize` when the server
 * does not know it; Modern and Legacy pin one era, so a server author can test either code path on purpose.
 */

/** The era settings, in the order the server form offers them. */
export const PROTOCOL_ERA_SETTINGS = ['auto', 'modern', 'legacy'] as const;
export type ProtocolEraSetting = (typeof PROTOCOL_ERA_SETTINGS)[number];

/** The era a connection ended up in. */
export type ProtocolEra = 'modern' | 'legacy';

/** The modern revision a Modern-pinned connection asks for. */
export const MODERN_PROTOCOL_VERSION = '2026-07-28';

/** What each setting is called in the UI. */
export const PROTOCOL_ERA_LABELS: Readonly<Record<ProtocolEraSetting, string>> = {
  auto: 'Auto',
  modern: 'Modern (2026-07-28)',
  legacy: 'Legacy (2025-11-25 and earlier)',
};

/** The setting of an entry: absent means Auto (catalogs written before the setting existed, imported host configs). */
export function eraSettingOf(entry: { protocolEra?: ProtocolEraSetting }): ProtocolEraSetting {
  return entry.protocolEra ?? 'auto';
}

/**
 * How the SDK client negotiates each era setting (its `versionNegotiation.mode`), for every client Patchbay makes
 * (the inspector's, `npm run connect`'s). Auto probes with `server/discover` and falls back to `initialize` on a
 * definitive legacy answer; Modern pins 2026-07-28 (no fallback: a legacy-only server fails the connect); Legacy
 * is the plain `initialize` handshake, as a 2025 client sends it.
 */
export function versionNegotiationFor(era: ProtocolEraSetting): 'auto' | 'legacy' | { pin: string } {
  if (era === 'modern') return { pin: MODERN_PROTOCOL_VERSION };
  return era;
}
