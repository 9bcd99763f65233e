interface InspectorPlaceholderProps {
  server: string;
  ready: boolean;
}

/**
 * Where the inspector views (Tools, Resources, Prompts) will go. They get the server's SDK client from
 * `useRuntime().connection(server)?.client` once its status is ready; see src-renderer/README.md.
 */
export function InspectorPlaceholder({ server, ready }: InspectorPlaceholderProps) {
  return (
    <section className="inspector-placeholder" aria-label={`Inspector for ${server}`} data-testid="inspector-placeholder">
      <h3>Inspector</h3>
      <p className="muted">{ready ? 'Tools, resources and prompts will appear here.' : 'Connect the server to inspect its tools, resources and prompts.'}</p>
    </section>
  );
}
