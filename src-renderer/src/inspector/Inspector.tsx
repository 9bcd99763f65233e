import type { Client, LoggingLevel } from '@modelcontextprotocol/client';
import { useEffect, useId, useState } from 'react';
import { AuthPanel } from '../auth/AuthPanel';
import { InfoView } from './InfoView';
import { revealTab, useRevealRequestFor } from './inspector-reveal';
import { patchSession, sessionOf, useInspectorStore } from './inspector-store';
import { LOGGING_LEVELS } from './log-model';
import { LogPanel } from './LogPanel';
import { isModern } from './modern/modern-call';
import { adoptConnection } from './modern/modern-store';
import { SubscriptionsView } from './modern/SubscriptionsView';
import { tapOf } from './modern/wire-tap';
import { ProcessesView } from './processes/ProcessesView';
import { PromptsView } from './PromptsView';
import { RequestsView } from './RequestsView';
import { ResourcesView } from './ResourcesView';
import { RootsView } from './RootsView';
import { StressView } from './stress/StressView';
import { TabList, TabPanel, type TabDefinition } from './Tabs';
import { formatDuration } from './time-format';
import { errorMessage } from './tool-calls';
import { ToolsView } from './ToolsView';
import { useAppStore } from '../store/app-store';

import { FaultsView } from '../faults/FaultsView';
import { useFaultsOn } from '../faults/fault-store';

type TabId = 'info' | 'tools' | 'resources' | 'prompts' | 'requests' | 'roots' | 'subscriptions' | 'processes' | 'faults' | 'auth' | 'stress';

interface InspectorProps {
  server: string;
  /** The SDK client of the server's open connection. */
  client: Client;
  protocolVersion?: string;
  /** The tab to show first (the detail opens Auth for a server that has just signed in from it). */
  initialTab?: TabId;
}

/**
 * The inspector of a connected server: tabs for Info, Tools, Resources, Prompts, Requests (from the server) and
 * Roots; Ping and the logging level in the header (legacy era only: the modern one has neither); the server's log
 * messages below.
 */
export function Inspector({ server, client, protocolVersion, initialTab }: InspectorProps) {
  const idPrefix = useId();
  // Info needs no requests: opening a server sends nothing until the user picks a tab that lists something.
  // The command palette can ask for an item of this server: its tab is shown (the tab's view selects the item).
  const reveal = useRevealRequestFor(server);
  const [active, setActive] = useState<TabId>(() => (reveal ? revealTab(reveal.kind) : (initialTab ?? 'info')));
  useEffect(() => {
    if (reveal) setActive(revealTab(reveal.kind));
  }, [reveal]);
  const pendingCount = useInspectorStore((state) => sessionOf(state, server).pending.length);
  const faultsOn = useFaultsOn(server);
  const capabilities = client.getServerCapabilities();
  const modern = isModern(client);
  const transport = useAppStore((state) => state.catalog.find((entry) => entry.name === server)?.transport);
  const stdio = transport === 'stdio';
  // A remote server (Streamable HTTP or SSE) has an Auth tab (OAuth).
  const remote = transport !== undefined && !stdio;
  // The modern flows' state belongs to this connection; the tap watches what the SDK does not surface.
  useEffect(() => {
    adoptConnection(server, client);
    if (modern) tapOf(server, client);
  }, [server, client, modern]);

  const tabs: TabDefinition<TabId>[] = [
    { id: 'info', label: 'Info' },
    { id: 'tools', label: 'Tools' },
    { id: 'resources', label: 'Resources' },
    { id: 'prompts', label: 'Prompts' },
    { id: 'requests', label: 'Requests', badge: pendingCount > 0 ? { text: String(pendingCount), label: `${pendingCount} pending` } : undefined },
    { id: 'roots', label: 'Roots' },
    // Modern era: notifications outside a request come only on a subscriptions/listen stream.
    ...(modern ? [{ id: 'subscriptions' as const, label: 'Subscriptions' }] : []),
    // A stdio server's processes: Patchbay started them, so it can watch them.
    ...(stdio ? [{ id: 'processes' as const, label: 'Processes' }] : []),
    { id: 'faults', label: 'Faults', badge: faultsOn ? { text: 'on', label: 'faults on' } : undefined },
    // OAuth is for remote servers only (a stdio server is trusted by being started).
    ...(remote ? [{ id: 'auth' as const, label: 'Auth' }] : []),
    { id: 'stress', label: 'Stress' },
  ];

  return (
    <section className="inspector" aria-label={`Inspector for ${server}`} data-testid="inspector">
      <div className="insp-header">
        <TabList<TabId> idPrefix={idPrefix} label={`Inspector views of ${server}`} tabs={tabs} active={active} onSelect={setActive} />
        <div className="insp-header-tools">
          {client.getProtocolEra() === 'modern' ? (
            // 2026-07-28 removed ping and logging/setLevel: the log level travels with each request instead.
            <span className="muted insp-era-note">No ping or logging/setLevel in 2026-07-28: choose a log level per request in Request options.</span>
          ) : (
            <>
              <PingButton server={server} client={client} />
              <LogLevelSelect server={server} client={client} enabled={Boolean(capabilities?.logging)} />
            </>
          )}
        </div>
      </div>
      {faultsOn && (
        <div className="insp-attention insp-faults-banner" role="status" data-testid="faults-banner">
          <span aria-hidden="true">⚡</span> Faults are on: the proxy is injecting faults into {server}’s traffic{modern ? ' (its legacy sessions; not this modern-era connection)' : ''}.
          {active !== 'faults' && (
            <button type="button" onClick={() => setActive('faults')}>
              Show faults
            </button>
          )}
        </div>
      )}
      {pendingCount > 0 && active !== 'requests' && (
        <div className="insp-attention" role="status">
          The server is waiting for an answer to {pendingCount === 1 ? 'a request' : `${pendingCount} requests`}.
          <button type="button" onClick={() => setActive('requests')}>
            Show requests
          </button>
        </div>
      )}
      <TabPanel idPrefix={idPrefix} tab="info" active={active === 'info'}>
        <InfoView client={client} protocolVersion={protocolVersion} />
      </TabPanel>
      <TabPanel idPrefix={idPrefix} tab="tools" active={active === 'tools'}>
        <ToolsView server={server} client={client} capabilities={capabilities} />
      </TabPanel>
      <TabPanel idPrefix={idPrefix} tab="resources" active={active === 'resources'}>
        <ResourcesView server={server} client={client} capabilities={capabilities} />
      </TabPanel>
      <TabPanel idPrefix={idPrefix} tab="prompts" active={active === 'prompts'}>
        <PromptsView server={server} client={client} capabilities={capabilities} />
      </TabPanel>
      <TabPanel idPrefix={idPrefix} tab="requests" active={active === 'requests'}>
        <RequestsView server={server} />
      </TabPanel>
      <TabPanel idPrefix={idPrefix} tab="roots" active={active === 'roots'}>
        <RootsView server={server} client={client} />
      </TabPanel>
      {modern && (
        <TabPanel idPrefix={idPrefix} tab="subscriptions" active={active === 'subscriptions'}>
          <SubscriptionsView server={server} client={client} />
        </TabPanel>
      )}
      {stdio && (
        <TabPanel idPrefix={idPrefix} tab="processes" active={active === 'processes'}>
          <ProcessesView server={server} shown={active === 'processes'} />
        </TabPanel>
      )}
      <TabPanel idPrefix={idPrefix} tab="faults" active={active === 'faults'}>
        <FaultsView server={server} />
      </TabPanel>
      {remote && (
        <TabPanel idPrefix={idPrefix} tab="auth" active={active === 'auth'}>
          <AuthPanel server={server} />
        </TabPanel>
      )}
      <TabPanel idPrefix={idPrefix} tab="stress" active={active === 'stress'}>
        <StressView server={server} shown={active === 'stress'} stdio={stdio} />
      </TabPanel>
      <LogPanel server={server} />
    </section>
  );
}

/** Ping, and the round trip it took (or why it failed). */
function PingButton({ server, client }: { server: string; client: Client }) {
  const ping = useInspectorStore((state) => sessionOf(state, server).ping);
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    const started = performance.now();
    try {
      await client.ping();
      const ms = performance.now() - started;
      patchSession(server, client, () => ({ ping: { ms, at: Date.now() } }));
    } catch (error) {
      patchSession(server, client, () => ({ ping: { error: errorMessage(error), at: Date.now() } }));
    } finally {
      setBusy(false);
    }
  };
  return (
    <span className="insp-ping">
      <button type="button" onClick={() => void run()} disabled={busy}>
        Ping
      </button>
      <span className={`mono${ping && 'error' in ping ? ' error-text' : ''}`} role="status" aria-label="Ping result" data-testid="ping-result">
        {ping ? ('error' in ping ? ping.error : formatDuration(ping.ms)) : ''}
      </span>
    </span>
  );
}

/** The logging level the server is asked to send from (logging/setLevel); unset until chosen. */
function LogLevelSelect({ server, client, enabled }: { server: string; client: Client; enabled: boolean }) {
  const id = useId();
  const level = useInspectorStore((state) => sessionOf(state, server).logLevel);
  const [error, setError] = useState<string>();
  const change = async (next: LoggingLevel) => {
    setError(undefined);
    try {
      await client.setLoggingLevel(next);
      patchSession(server, client, () => ({ logLevel: next }));
    } catch (failure) {
      setError(errorMessage(failure));
    }
  };
  return (
    <span className="insp-inline">
      <label htmlFor={id}>Log level</label>
      <select
        id={id}
        className="sf-select"
        value={level ?? ''}
        disabled={!enabled}
        title={enabled ? undefined : 'The server does not offer logging'}
        onChange={(event) => void change(event.target.value as LoggingLevel)}
      >
        <option value="" disabled>
          —
        </option>
        {LOGGING_LEVELS.map((candidate) => (
          <option key={candidate} value={candidate}>
            {candidate}
          </option>
        ))}
      </select>
      {error && (
        <span className="error-text" role="alert">
          {error}
        </span>
      )}
    </span>
  );
}
