import type { Client } from '@modelcontextprotocol/sdk/client/index.js';

interface InfoViewProps {
  client: Client;
  /** The negotiated protocol version (from the session, as the proxy saw the handshake). */
  protocolVersion?: string;
}

/** The Info tab: who the server is, the protocol version, its instructions and capabilities. */
export function InfoView({ client, protocolVersion }: InfoViewProps) {
  const info = client.getServerVersion();
  const capabilities = client.getServerCapabilities();
  const instructions = client.getInstructions();
  return (
    <div className="insp-info">
      <dl className="facts">
        <dt>Name</dt>
        <dd>{info?.name ?? 'unknown'}</dd>
        {info?.title && (
          <>
            <dt>Title</dt>
            <dd>{info.title}</dd>
          </>
        )}
        <dt>Version</dt>
        <dd className="mono">{info?.version ?? 'unknown'}</dd>
        <dt>Protocol</dt>
        <dd className="mono">{protocolVersion ?? 'unknown'}</dd>
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
      <section aria-label="Capabilities">
        <h4>Capabilities</h4>
        <pre className="insp-pre" data-testid="server-capabilities">
          {JSON.stringify(capabilities ?? {}, null, 2)}
        </pre>
      </section>
    </div>
  );
}
