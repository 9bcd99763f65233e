import { useEffect, useMemo, useState } from 'react';
import { NEEDS_SIGN_IN, type AuthStatus } from '../../../src-shared/oauth';
import { signIn } from '../auth/auth-actions';
import { AuthPanel } from '../auth/AuthPanel';
import { useAuthStore } from '../auth/auth-store';
import { getApi } from '../api/get-api';
import { DoctorPanel, type DoctorRun } from '../doctor/DoctorPanel';
import { errorText } from '../error-text';
import { formatRelativeTime, transportLabel } from '../format';
import { Inspector } from '../inspector/Inspector';
import { useInputPromptStore, usesInputs } from '../inputs/input-prompt-store';
import { useMediaQuery } from '../layout/use-media-query';
import { useRuntime } from '../runtime-context';
import { useAppStore } from '../store/app-store';
import { errorHint } from '../store/server-status';
import { describeServer, elsewhereLabel } from '../store/server-view';
import { ConfirmDialog } from './ConfirmDialog';
import { InspectorPlaceholder } from './InspectorPlaceholder';
import { RecordedProcesses } from '../inspector/processes/ProcessesView';
import { ServerFormDialog } from './ServerFormDialog';
import { StatusBadge } from './StatusBadge';
import { StderrConsole } from './StderrConsole';
import { useNow } from './use-now';

const EMPTY_LINES: readonly string[] = [];

/** Auth states in which a server that is not connected shows its sign-in (the Auth tab's panel) in the detail. */
const SIGN_IN_STATUSES: ReadonlySet<AuthStatus> = new Set(['needs-sign-in', 'in-progress', 'waiting-for-browser', 'failed']);

/** A window this short starts with the server's facts folded to one line, so the inspector's tabs and first rows show. */
const SHORT_QUERY = '(max-height: 700px)';

/** The selected server: its status and session facts, its actions, its stderr, and the inspector once it is ready. */
export function ServerDetail() {
  const runtime = useRuntime();
  const selected = useAppStore((state) => state.selected);
  const entry = useAppStore((state) => state.catalog.find((candidate) => candidate.name === state.selected));
  const sessions = useAppStore((state) => state.sessions);
  const owner = useAppStore((state) => state.owner);
  const connection = useAppStore((state) => (state.selected === undefined ? undefined : state.connections[state.selected]));
  const [dialog, setDialog] = useState<'edit' | 'remove'>();
  const [actionError, setActionError] = useState<string>();
  const [actionNote, setActionNote] = useState<string>();
  const inputNotice = useInputPromptStore((state) => (selected === undefined ? undefined : state.notices[selected]));
  const now = useNow(1000);
  const shortWindow = useMediaQuery(SHORT_QUERY);
  /** The user's own fold or unfold of the facts; until then the window's height decides. */
  const [factsChoice, setFactsChoice] = useState<boolean>();
  const authStatus = useAuthStore((state) => (selected === undefined ? undefined : state.states[selected]?.status));
  /** The sign-in was run here while not connected: once connected, the inspector opens on its Auth tab. */
  const [signInShown, setSignInShown] = useState<string>();
  /** The connection doctor's run for the selected server, once asked for. */
  const [doctor, setDoctor] = useState<{ server: string; run: DoctorRun }>();
  const factsOpen = factsChoice ?? !shortWindow;

  const view = useMemo(() => entry && describeServer(entry, sessions, owner, connection), [entry, sessions, owner, connection]);
  const session = view?.session;
  const liveSessionId = session && session.state !== 'closed' ? session.id : undefined;
  // Every live session of this server, whichever window opened it: saving a change to the entry closes them all.
  const liveSessions = useMemo(
    () => Object.values(sessions.sessions).filter((candidate) => candidate.server === selected && (candidate.state === 'connecting' || candidate.state === 'ready')).length,
    [sessions, selected],
  );

  // A dialog or message belongs to the server it was opened for.
  useEffect(() => {
    setActionError(undefined);
    setActionNote(undefined);
    setDialog(undefined);
    setSignInShown(undefined);
    setDoctor(undefined);
  }, [selected]);
  // Lines written before this window was listening are fetched once; live ones arrive as events.
  useEffect(() => {
    if (liveSessionId) void runtime.loadEarlierStderr(liveSessionId).catch(() => undefined);
  }, [runtime, liveSessionId]);

  if (!entry || !view) {
    return (
      <section className="detail detail-empty" aria-label="Server details">
        <p className="muted">Select a server to see its details.</p>
      </section>
    );
  }

  const name = entry.name;
  // The inspector talks to the server through the open connection's SDK client.
  const client = view.status === 'ready' ? runtime.connection(name)?.client : undefined;
  const hint = view.message ? errorHint(view.message) : undefined;
  const remote = entry.transport !== 'stdio';
  // A remote server whose connect failed for want of a token (or whose sign-in is under way) offers Sign in here.
  const needsSignIn = remote && ((authStatus !== undefined && SIGN_IN_STATUSES.has(authStatus)) || (view.message?.includes(NEEDS_SIGN_IN) ?? false));
  const showSignIn = remote && !client && (needsSignIn || signInShown === name);
  const startSignIn = async () => {
    setActionError(undefined);
    setSignInShown(name);
    try {
      await signIn(name);
    } catch (error) {
      setActionError(errorText(error));
    }
  };
  const diagnose = async () => {
    setDoctor({ server: name, run: { state: 'running' } });
    let run: DoctorRun;
    try {
      run = { state: 'done', report: await getApi().diagnoseServer({ server: name }) };
    } catch (error) {
      run = { state: 'error', message: errorText(error) };
    }
    // A diagnosis that ends after the user moved to another server is dropped.
    setDoctor((current) => (current?.server === name ? { server: name, run } : current));
  };
  const duplicate = async () => {
    setActionError(undefined);
    try {
      await runtime.duplicateServer(name);
    } catch (error) {
      setActionError(error instanceof Error ? error.message : String(error));
    }
  };

  const forgetInputs = async () => {
    setActionError(undefined);
    try {
      const forgotten = await runtime.forgetInputs(name);
      setActionNote(forgotten === 0 ? 'No inputs were remembered; the next connect asks for them.' : `Forgot ${forgotten} remembered input${forgotten === 1 ? '' : 's'}; the next connect asks again.`);
    } catch (error) {
      setActionError(error instanceof Error ? error.message : String(error));
    }
  };

  const statusText = view.status === 'ready' ? 'Ready' : view.status === 'connecting' ? 'Connecting…' : view.status === 'error' ? 'Error' : 'Disconnected';
  const protocol = connection?.protocolVersion ?? session?.protocolVersion;
  const factsSummary = [
    statusText,
    transportLabel(entry.transport),
    session?.serverInfo && `${session.serverInfo.name} ${session.serverInfo.version}`,
    protocol && `${view.status === 'ready' && connection?.era ? `${connection.era} · ` : ''}${protocol}`,
    entry.transport === 'stdio' && session?.pid !== undefined && `pid ${session.pid}`,
  ]
    .filter(Boolean)
    .join(' · ');

  return (
    <section className="detail" aria-label={`Server ${name}`}>
      {/* The inspector is the main area and scrolls with the facts above it; stderr is the bottom panel. */}
      <div className="detail-main">
        <header className="detail-header">
          <h2 className="detail-title">{name}</h2>
          <StatusBadge status={view.status} />
          <div className="detail-actions">
            <button type="button" onClick={() => runtime.toggle(name, view.connectedOrWanted)} disabled={!view.connectedOrWanted && entry.disabled === true}>
              {view.elsewhere ? 'Open here' : view.connectedOrWanted ? 'Disconnect' : 'Connect'}
            </button>
            <button type="button" onClick={() => void diagnose()} disabled={doctor?.run.state === 'running'}>
              Diagnose
            </button>
            <button type="button" onClick={() => setDialog('edit')}>
              Edit
            </button>
            <button type="button" onClick={() => void duplicate()}>
              Duplicate
            </button>
            {usesInputs(entry) && (
              <button type="button" onClick={() => void forgetInputs()}>
                Forget remembered inputs
              </button>
            )}
            <button type="button" className="danger" onClick={() => setDialog('remove')}>
              Remove
            </button>
          </div>
        </header>

        {view.status === 'error' && view.message && (
          <div className="error-box" role="alert">
            <p className="error-text">{view.message}</p>
            {hint && <p className="error-hint">{hint}</p>}
            {!doctor && (
              <p className="error-hint">
                <button type="button" className="primary" onClick={() => void diagnose()}>
                  Diagnose this connection
                </button>{' '}
                runs each step of connecting on its own and shows which one fails, and how to fix it.
              </p>
            )}
            {needsSignIn && authStatus !== 'in-progress' && authStatus !== 'waiting-for-browser' && (
              <p className="error-hint">
                <button type="button" className="primary" onClick={() => void startSignIn()}>
                  Sign in
                </button>
              </p>
            )}
          </div>
        )}
        {doctor && <DoctorPanel server={name} run={doctor.run} onRunAgain={() => void diagnose()} onClose={() => setDoctor(undefined)} />}
        {inputNotice && !view.connectedOrWanted && (
          <p className="form-error" role="status">
            {inputNotice}
          </p>
        )}
        {actionNote && (
          <p className="field-hint" role="status">
            {actionNote}
          </p>
        )}
        {actionError && (
          <p className="form-error" role="alert">
            {actionError}
          </p>
        )}

        {view.elsewhere && (
          <p className="detail-elsewhere" role="status" data-testid="session-elsewhere">
            {elsewhereLabel(view.elsewhere).replace(/^c/, 'C')}: session <span className="mono">{view.elsewhere.id}</span>
            {view.elsewhere.pid !== undefined ? `, pid ${view.elsewhere.pid}` : ''}, started {new Date(view.elsewhere.startedAt).toLocaleTimeString()}.
            Open here starts this window’s own session to it, so it can be driven here too; Disconnect in either window
            ends only that window’s session.
          </p>
        )}
        <div className="facts-fold">
          <button type="button" className="facts-toggle" aria-expanded={factsOpen} aria-controls="server-facts" onClick={() => setFactsChoice(!factsOpen)}>
            <span aria-hidden="true">{factsOpen ? '▾' : '▸'}</span> Server info
          </button>
          {!factsOpen && (
            <span className="muted facts-summary" data-testid="facts-summary">
              {factsSummary}
            </span>
          )}
        </div>
        <dl className="facts" id="server-facts" hidden={!factsOpen}>
          <dt>Status</dt>
          <dd>
            {statusText}
            {entry.disabled ? ' (disabled in the catalog)' : ''}
          </dd>
          <dt>Transport</dt>
          <dd>{transportLabel(entry.transport)}</dd>
          <dt>{entry.transport === 'stdio' ? 'Command' : 'URL'}</dt>
          <dd className="mono">{entry.transport === 'stdio' ? [entry.command, ...entry.args].join(' ') : entry.url}</dd>
          {session?.serverInfo && (
            <>
              <dt>Server</dt>
              <dd>
                {session.serverInfo.name} {session.serverInfo.version}
              </dd>
            </>
          )}
          {(connection?.protocolVersion ?? session?.protocolVersion) && (
            <>
              <dt>Protocol</dt>
              <dd className="mono">
                {view.status === 'ready' && connection?.era ? `${connection.era} · ` : ''}
                {connection?.protocolVersion ?? session?.protocolVersion}
              </dd>
            </>
          )}
          {entry.transport === 'stdio' && session?.pid !== undefined && (
            <>
              <dt>PID</dt>
              <dd className="mono">
                {session.pid}
                {session.state === 'closed' ? ' (ended)' : ''}
              </dd>
            </>
          )}
          {session && (
            <>
              <dt>Messages</dt>
              <dd>
                ↑{session.messagesOut} sent, ↓{session.messagesIn} received
              </dd>
              <dt>Last activity</dt>
              <dd>{formatRelativeTime(session.lastActivityAt, now)}</dd>
              <dt>Session</dt>
              <dd className="mono">{session.id}</dd>
            </>
          )}
        </dl>

        {client ? (
          <Inspector
            key={connection?.sessionId ?? `${name}#${connection?.serial ?? 0}`}
            server={name}
            client={client}
            protocolVersion={connection?.protocolVersion ?? session?.protocolVersion}
            initialTab={signInShown === name ? 'auth' : undefined}
          />
        ) : showSignIn ? (
          <section className="detail-sign-in" aria-label="Sign in">
            <h3>Sign in</h3>
            <AuthPanel server={name} onAction={() => setSignInShown(name)} />
          </section>
        ) : (
          <>
            <InspectorPlaceholder server={name} ready={view.status === 'ready'} />
            {entry.transport === 'stdio' && <RecordedProcesses server={name} />}
          </>
        )}
      </div>

      {entry.transport === 'stdio' && <StderrConsole server={name} lines={session?.stderr ?? EMPTY_LINES} />}

      {dialog === 'edit' && (
        <ServerFormDialog entry={entry} liveSessions={liveSessions} onSave={(updated) => runtime.updateServer(name, updated)} onClose={() => setDialog(undefined)} />
      )}
      {dialog === 'remove' && (
        <ConfirmDialog
          label="Remove server"
          message={`Remove “${name}” from the catalog? ${liveSessions > 0 ? `Its ${liveSessions} live ${liveSessions === 1 ? 'session closes' : 'sessions close'} and ${liveSessions === 1 ? 'its' : 'their'} processes end.` : 'It has no live session.'}`}
          confirmText="Remove"
          onConfirm={() => runtime.removeServer(name)}
          onClose={() => setDialog(undefined)}
        />
      )}
    </section>
  );
}
