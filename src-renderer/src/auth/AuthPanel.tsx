import { useEffect, useId, useState } from 'react';
import { AUTH_STEP_LABELS, type AuthExchange, type AuthStep, type ServerAuthState } from '../../../src-shared/oauth';
import { getBridge } from '../api/get-api';
import { useNow } from '../components/use-now';
import { errorText } from '../error-text';
import { formatClock, formatDuration } from '../inspector/time-format';
import { cancelSignIn, loadAuthState, openSignInPage, signIn, signOut, step } from './auth-actions';
import { AUTH_STATUS_LABELS, authActions, claimRows, formatBody, nextStepOf, statusFacts } from './auth-model';
import { useAuthStore } from './auth-store';

/**
 * The Auth tab of a remote server: the OAuth flow as a debugger. A status line (who is signed in, issuer, scopes,
 * expiry, refresh token), Sign in (all at once), Step (one step at a time), Cancel and Sign out; each step with its
 * state, timing and summary, unfolding to its HTTP exchanges (redacted by main) and, when it failed, the rule of the
 * spec it broke; the decoded access token's claims. Shown in the inspector and, for a server not connected because
 * it needs sign-in, in the server's detail.
 */
export function AuthPanel({ server, onAction }: { server: string; /** Told when a button is pressed. */ onAction?: () => void }) {
  const state = useAuthStore((store) => store.states[server]);
  const [busy, setBusy] = useState<string>();
  const [error, setError] = useState<string>();
  const now = useNow(1000);

  useEffect(() => {
    setError(undefined);
    loadAuthState(server).catch((failure: unknown) => setError(errorText(failure)));
  }, [server]);

  const run = async (label: string, action: (server: string) => Promise<ServerAuthState>) => {
    onAction?.();
    setError(undefined);
    setBusy(label);
    try {
      await action(server);
    } catch (failure) {
      setError(errorText(failure));
    } finally {
      setBusy(undefined);
    }
  };

  const actions = authActions(state);
  const nextStep = nextStepOf(state);
  const facts = state ? statusFacts(state, now) : [];
  return (
    <section className="auth-panel" aria-label={`Sign-in (OAuth) for ${server}`} data-testid="auth-panel">
      <div className="auth-status">
        <span className={`badge auth-badge auth-badge-${state?.status ?? 'unknown'}`} data-testid="auth-status">
          {state ? AUTH_STATUS_LABELS[state.status] : 'Loading…'}
        </span>
        {facts.length > 0 && (
          <dl className="auth-facts" data-testid="auth-facts">
            {facts.map((fact) => (
              <div key={fact.label}>
                <dt>{fact.label}</dt>
                <dd className={fact.label === 'Signed in as' ? undefined : 'mono'}>{fact.value}</dd>
              </div>
            ))}
          </dl>
        )}
      </div>
      <div className="auth-buttons" role="group" aria-label="Sign-in actions">
        <button type="button" className="primary" disabled={!actions.signIn || busy !== undefined} onClick={() => void run('sign-in', signIn)}>
          Sign in
        </button>
        <button
          type="button"
          disabled={!actions.step || busy !== undefined}
          title={nextStep ? `Runs: ${AUTH_STEP_LABELS[nextStep]}` : 'Starts a sign-in that stops before each step'}
          onClick={() => void run('step', step)}
        >
          {nextStep ? `Step: ${AUTH_STEP_LABELS[nextStep]}` : 'Step'}
        </button>
        <button type="button" disabled={!actions.cancel} onClick={() => void run('cancel', cancelSignIn)}>
          Cancel
        </button>
        <button type="button" disabled={!actions.signOut || busy !== undefined} onClick={() => void run('sign-out', signOut)}>
          Sign out
        </button>
        {busy && <span className="muted" role="status">Working…</span>}
      </div>
      {state?.status === 'waiting-for-browser' && state.authorizationUrl && <BrowserNote server={server} url={state.authorizationUrl} />}
      {(error ?? state?.error) && (
        <p className="form-error" role="alert" data-testid="auth-error">
          {error ?? state?.error}
        </p>
      )}
      {state?.challenge && state.status !== 'signed-in' && (
        <p className="field-hint" data-testid="auth-challenge">
          The server answered HTTP {state.challenge.status}
          {state.challenge.error ? ` (${state.challenge.error}${state.challenge.errorDescription ? `: ${state.challenge.errorDescription}` : ''})` : ''}
          {state.challenge.scope ? `, asking for the scope ${state.challenge.scope}` : ''}.
        </p>
      )}
      {state && state.steps.length > 0 ? (
        <ol className="auth-steps" aria-label="Sign-in steps" data-testid="auth-steps">
          {state.steps.map((item) => (
            <StepRow key={item.id} item={item} next={nextStep === item.kind && item.state === 'pending'} />
          ))}
        </ol>
      ) : (
        state && (
          <p className="muted">
            No sign-in has run for this server in this Patchbay yet. Sign in runs the whole flow; Step runs it one step at a time, showing each request
            and answer.
          </p>
        )
      )}
      {state?.tokenClaims && <ClaimsTable claims={state.tokenClaims} now={now} />}
    </section>
  );
}

/** Where the sign-in page is: the desktop app opened the system browser; web mode a window of its own. */
function BrowserNote({ server, url }: { server: string; url: string }) {
  const web = getBridge().mode === 'web';
  return (
    <p className="auth-browser" role="status" data-testid="auth-browser">
      {web ? 'The sign-in page opens in a new window. ' : 'The sign-in page is open in your browser. '}
      Patchbay waits for it to come back.{' '}
      <a
        href={url}
        target="_blank"
        rel="noreferrer"
        onClick={(event) => {
          if (!web) return;
          event.preventDefault();
          openSignInPage(server, url);
        }}
      >
        Open the sign-in page
      </a>
    </p>
  );
}

const STATE_LABELS: Record<AuthStep['state'], string> = { pending: 'pending', running: 'running', done: 'done', failed: 'failed', skipped: 'skipped' };

function StepRow({ item, next }: { item: AuthStep; next: boolean }) {
  const [open, setOpen] = useState(item.state === 'failed');
  const bodyId = useId();
  useEffect(() => {
    if (item.state === 'failed') setOpen(true);
  }, [item.state]);
  const expandable = item.exchanges.length > 0 || Object.keys(item.details).length > 0 || item.failure !== undefined;
  return (
    <li className={`auth-step auth-step-${item.state}${next ? ' auth-step-next' : ''}`} data-testid="auth-step" data-kind={item.kind} data-state={item.state}>
      <div className="auth-step-head">
        <button type="button" className="auth-step-toggle" aria-expanded={open} aria-controls={bodyId} disabled={!expandable} onClick={() => setOpen(!open)}>
          <span aria-hidden="true">{expandable ? (open ? '▾' : '▸') : '·'}</span> {AUTH_STEP_LABELS[item.kind]}
        </button>
        <span className={`auth-step-state auth-step-state-${item.state}`}>{next ? 'next' : STATE_LABELS[item.state]}</span>
        <span className="muted mono auth-step-time">
          {item.startedAt !== undefined ? formatClock(item.startedAt) : ''}
          {item.durationMs !== undefined ? ` · ${formatDuration(item.durationMs)}` : ''}
        </span>
        <span className="auth-step-summary">{item.summary}</span>
      </div>
      {open && expandable && (
        <div className="auth-step-body" id={bodyId}>
          {item.failure && (
            <div className="error-box auth-failure" role="alert">
              <p className="error-text">{item.failure.message}</p>
              {item.failure.rule && (
                <p className="error-hint">
                  Rule broken: {item.failure.rule}
                  {item.failure.reference ? ` (${item.failure.reference})` : ''}
                </p>
              )}
            </div>
          )}
          {Object.keys(item.details).length > 0 && (
            <dl className="facts auth-details">
              {Object.entries(item.details).map(([name, value]) => (
                <div key={name} className="auth-detail">
                  <dt>{name}</dt>
                  <dd className="mono">{value}</dd>
                </div>
              ))}
            </dl>
          )}
          {item.exchanges.map((exchange, index) => (
            <ExchangeView key={`${exchange.startedAt}-${index}`} exchange={exchange} />
          ))}
        </div>
      )}
    </li>
  );
}

function ExchangeView({ exchange }: { exchange: AuthExchange }) {
  const [open, setOpen] = useState(false);
  const bodyId = useId();
  const outcome = exchange.status !== undefined ? `HTTP ${exchange.status}` : (exchange.error ?? 'no answer');
  return (
    <div className="auth-exchange" data-testid="auth-exchange">
      <button type="button" className="auth-exchange-toggle mono" aria-expanded={open} aria-controls={bodyId} onClick={() => setOpen(!open)}>
        <span aria-hidden="true">{open ? '▾' : '▸'}</span> {exchange.method} {exchange.url} → {outcome} ({formatDuration(exchange.durationMs)})
      </button>
      {open && (
        <div id={bodyId} className="auth-exchange-body">
          <HttpPart title="Request" headers={exchange.requestHeaders} body={exchange.requestBody} />
          <HttpPart title={`Response${exchange.status !== undefined ? ` (${exchange.status})` : ''}`} headers={exchange.responseHeaders} body={exchange.responseBody} />
          {exchange.error && <p className="error-text">{exchange.error}</p>}
          {exchange.truncated && <p className="muted">The bodies were cut at the size Patchbay keeps per exchange.</p>}
        </div>
      )}
    </div>
  );
}

function HttpPart({ title, headers, body }: { title: string; headers: Record<string, string>; body?: string }) {
  const entries = Object.entries(headers);
  return (
    <div className="auth-http">
      <h4>{title}</h4>
      {entries.length > 0 && (
        <table className="auth-headers">
          <tbody>
            {entries.map(([name, value]) => (
              <tr key={name}>
                <th scope="row" className="mono">
                  {name}
                </th>
                <td className="mono">{value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {body !== undefined && body.length > 0 && <pre className="auth-body">{formatBody(body)}</pre>}
    </div>
  );
}

function ClaimsTable({ claims, now }: { claims: Record<string, unknown>; now: number }) {
  const rows = claimRows(claims, now);
  return (
    <section className="auth-claims" aria-label="Access token claims">
      <h3>Access token claims (JWT, decoded)</h3>
      <table data-testid="auth-claims">
        <thead>
          <tr>
            <th scope="col">Claim</th>
            <th scope="col">Value</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.name}>
              <th scope="row" className="mono">
                {row.name}
              </th>
              <td className="mono">
                {row.value}
                {row.time && <span className="muted auth-claim-time"> {row.time}</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
