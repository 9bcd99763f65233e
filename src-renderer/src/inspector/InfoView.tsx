import type { Client, DiscoverResult } from '@modelcontextprotocol/client';

interface InfoViewProps {
  client: Client;
  /** The negotiated protocol version (from the client, or the session as the proxy saw the handshake). */
  protocolVersion?: string;
}

/**
 * The Info tab: who the server is, the era and protocol version in use, its instructions and capabilities. A modern
 * connection shows what `server/discover` answered (the versions it supports, its extensions); a legacy one what
 * `initialize` answered.
 */
export function InfoView({ client, protocolVersion }: InfoViewProps) {
  const info = client.getServerVersion();
  const capabilities = client.getServerCapabilities();
  const instructions = client.getInstructions();
  const era = client.getProtocolEra();
  const discover = era === 'modern' ? client.getDiscoverResult() : undefined;
  const extensions = Object.entries(capabilities?.extensions ?? {});
  return (
    <div className="insp-info">
      <dl className="facts">
        <dt>Name</dt>
        <dd>{info?.name ?? (discover ? 'not given (server/discover named no serverInfo)' : 'unknown')}</dd>
        {info?.title && (
          <>
            <dt>Title</dt>
            <dd>{info.title}</dd>
          </>
        )}
        <dt>Version</dt>
        <dd className="mono">{info?.version ?? 'unknown'}</dd>
        <dt>Era</dt>
        <dd>{era === 'modern' ? 'Modern (stateless, from server/discover)' : 'Legacy (session, from initialize)'}</dd>
        <dt>Protocol</dt>
        <dd className="mono">{protocolVersion ?? client.getNegotiatedProtocolVersion() ?? 'unknown'}</dd>
        {discover && (
          <>
            <dt>Supported versions</dt>
            <dd className="mono" data-testid="supported-versions">
              {discover.supportedVersions.join(', ')}
            </dd>
            {cacheHint(discover) && (
              <>
                <dt>Cache hint</dt>
                <dd>{cacheHint(discover)}</dd>
              </>
            )}
          </>
        )}
        {info?.websiteUrl && (
          <>
            <dt>Website</dt>
            <dd className="mono">{info.websiteUrl}</dd>
          </>
        )}
      </dl>
      <section aria-label="Instructions">
        <h4>Instructions</h4>
        {instructions ? <pre className="insp-pre insp-instructions">{instructions}</pre> : <p className="muted">The server gave none.</p>}
      </section>
      <section aria-label="Extensions">
        <h4>Extensions</h4>
        {extensions.length === 0 ? (
          <p className="muted">The server declares none.</p>
        ) : (
          <ul className="insp-extensions">
            {extensions.map(([id, settings]) => (
              <li key={id}>
                <span className="mono">{id}</span>
                {Object.keys(settings).length > 0 && <pre className="insp-pre">{JSON.stringify(settings, null, 2)}</pre>}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-label="Capabilities">
        <h4>Capabilities</h4>
        <pre className="insp-pre" data-testid="server-capabilities">
          {JSON.stringify(capabilities ?? {}, null, 2)}
        </pre>
      </section>
      {discover && (
        <section aria-label="server/discover answer">
          <h4>server/discover answer</h4>
          <pre className="insp-pre" data-testid="discover-result">
            {JSON.stringify(discover, null, 2)}
          </pre>
        </section>
      )}
    </div>
  );
}

/** The discover result's freshness hint as a sentence, or undefined when it gave none. */
function cacheHint(discover: DiscoverResult): string | undefined {
  const { ttlMs, cacheScope } = discover as DiscoverResult & { ttlMs?: unknown; cacheScope?: unknown };
  if (typeof ttlMs !== 'number' && typeof cacheScope !== 'string') return undefined;
  const fresh = typeof ttlMs === 'number' ? `fresh for ${ttlMs >= 1000 ? `${Math.round(ttlMs / 1000)} s` : `${ttlMs} ms`}` : 'no freshness given';
  return typeof cacheScope === 'string' ? `${fresh}, ${cacheScope}` : fresh;
}
