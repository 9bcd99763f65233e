import type { CspViolation, OpenedAppDocument } from '../../../src-shared/apps';
import type { AppResource } from './app-resource';
import type { BridgeLogEntry } from './bridge-log';

interface AppDebugPanelProps {
  log: BridgeLogEntry[];
  violations: CspViolation[];
  resource: AppResource | undefined;
  document: OpenedAppDocument | undefined;
  sandbox: string;
}

const formatMs = (ms: number): string => (ms < 1000 ? `${ms.toFixed(1)} ms` : `${(ms / 1000).toFixed(2)} s`);

/** Beside the app: every bridge message both ways with its timing, the declared CSP and permissions, violations. */
export function AppDebugPanel({ log, violations, resource, document, sandbox }: AppDebugPanelProps) {
  return (
    <aside className="app-debug" aria-label="App debugging">
      <section aria-label="Bridge messages">
        <h4>
          Bridge messages <span className="muted">({log.length})</span>
        </h4>
        <ol className="app-bridge-log" data-testid="app-bridge-log">
          {log.map((entry) => (
            <li key={entry.ordinal} data-direction={entry.direction} data-method={entry.method}>
              <details>
                <summary>
                  <span aria-label={entry.direction === 'host-to-app' ? 'host to app' : 'app to host'}>{entry.direction === 'host-to-app' ? '→' : '←'}</span>{' '}
                  <span className="mono">{entry.method ?? '(response)'}</span>
                  {'method' in entry.message ? '' : ' response'}
                  {entry.id !== undefined && <span className="muted"> #{String(entry.id)}</span>} <span className="muted">at {formatMs(entry.atMs)}</span>
                  {entry.durationMs !== undefined && <span className="muted"> · took {formatMs(entry.durationMs)}</span>}
                  {'error' in entry.message && <span className="tag insp-hint insp-hint-error">error</span>}
                </summary>
                <pre className="insp-pre">{JSON.stringify(entry.message, null, 2)}</pre>
              </details>
            </li>
          ))}
        </ol>
      </section>
      <section aria-label="CSP violations">
        <h4>
          CSP violations <span className="muted">({violations.length})</span>
        </h4>
        {violations.length === 0 ? (
          <p className="muted">None reported by the app's document.</p>
        ) : (
          <ul className="app-violations" data-testid="app-violations">
            {violations.map((violation, index) => (
              <li key={index}>
                <span className="mono">{violation.directive}</span> blocked <span className="mono">{violation.blockedURI || '(inline)'}</span>
                {violation.sourceFile && <span className="muted"> in {violation.sourceFile}{violation.line ? `:${violation.line}` : ''}</span>}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-label="Declared policy">
        <h4>Declared by the resource</h4>
        {resource?.problems.map((problem) => (
          <p key={problem} className="insp-call-error" role="alert">
            Not applied: {problem}
          </p>
        ))}
        <dl className="app-policy">
          <dt>CSP (_meta.ui.csp)</dt>
          <dd>
            <pre className="insp-pre">{JSON.stringify(resource?.meta.csp ?? {}, null, 2)}</pre>
          </dd>
          <dt>Permissions (_meta.ui.permissions)</dt>
          <dd>
            <pre className="insp-pre">{JSON.stringify(resource?.meta.permissions ?? {}, null, 2)}</pre>
          </dd>
          <dt>Served from</dt>
          <dd className="mono" data-testid="app-origin">
            {document?.origin ?? '…'}
          </dd>
          <dt>Content-Security-Policy header</dt>
          <dd className="mono app-csp" data-testid="app-csp">
            {document?.csp ?? '…'}
          </dd>
          <dt>iframe sandbox</dt>
          <dd className="mono">{sandbox}</dd>
        </dl>
      </section>
    </aside>
  );
}
