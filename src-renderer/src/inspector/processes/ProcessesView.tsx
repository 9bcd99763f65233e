import { useEffect, useState } from 'react';
import { latestSample, type MonitoredChild, type ProcessFigures, type ProcessNode } from '../../../../src-shared/processes';
import { useNow } from '../../components/use-now';
import { formatClock } from '../time-format';
import { describeEnd, formatBytes, formatCpu, formatUptime, lastSamples, sparklinePoints } from './process-format';
import { endProcess, SPARK_SAMPLES, useProcessStore, watchProcesses } from './process-store';

/**
 * The Processes tab of a stdio server: each process Patchbay started for it (this window's session and any other,
 * and the modern era's shared one), with its tree (a launcher such as npx and what it started), CPU, memory, open
 * files and uptime, and sparklines of CPU and memory; ended ones with how they ended and their last stderr lines;
 * processes still running after their session ended in red, each with End process. Sampling runs only while shown.
 */
export function ProcessesView({ server, shown }: { server: string; shown: boolean }) {
  useEffect(() => (shown ? watchProcesses(server) : undefined), [server, shown]);
  return <ProcessesBody server={server} />;
}

/**
 * Below a disconnected stdio server: the processes Patchbay recorded for it (ended ones, and leaks to end), read
 * every few seconds without sampling; nothing at all when it recorded none.
 */
export function RecordedProcesses({ server }: { server: string }) {
  useEffect(() => watchProcesses(server, false), [server]);
  const recorded = useProcessStore((state) => (state.snapshots[server]?.children.length ?? 0) > 0);
  if (!recorded) return null;
  return (
    <section className="procmon-recorded" aria-label={`Processes of ${server}`}>
      <h3>Processes</h3>
      <ProcessesBody server={server} />
    </section>
  );
}

function ProcessesBody({ server }: { server: string }) {
  const snapshot = useProcessStore((state) => state.snapshots[server]);
  const error = useProcessStore((state) => state.errors[server]);
  const [outcome, setOutcome] = useState<string>();
  const now = useNow(1000);
  if (!snapshot) return <p className="muted">{error ?? 'Reading the server processes…'}</p>;
  const running = snapshot.children.filter((child) => !child.ended).reverse();
  const ended = snapshot.children.filter((child) => child.ended).reverse();
  const end = async (pid: number) => setOutcome(await endProcess(server, pid));
  return (
    <div className="procmon" data-testid="processes-view">
      <p className="muted procmon-note">
        {snapshot.sampling ? `Sampled every ${snapshot.intervalMs / 1000} s while processes are shown.` : 'Not sampling now: figures are from the last sample.'} CPU is in percent of one core.
        {snapshot.limits ? ` ${capitalize(snapshot.limits)}.` : ''}
      </p>
      {error && <p className="error-text">{error}</p>}
      {snapshot.leaks.length > 0 && (
        <p className="procmon-leak-alert" role="alert">
          {snapshot.leaks.length === 1 ? '1 process is' : `${snapshot.leaks.length} processes are`} still running after {snapshot.leaks.length === 1 ? 'its' : 'their'} session ended.
        </p>
      )}
      <p role="status" className="procmon-outcome">
        {outcome ?? ''}
      </p>
      <section aria-label="Running processes">
        <h4>Running</h4>
        {running.length === 0 ? <p className="muted">No process of this server runs now.</p> : running.map((child) => <ChildCard key={`${child.pid}-${child.startedAt}`} child={child} now={now} onEnd={end} />)}
      </section>
      <section aria-label="Ended processes">
        <h4>Ended</h4>
        {ended.length === 0 ? <p className="muted">None yet.</p> : ended.map((child) => <ChildCard key={`${child.pid}-${child.startedAt}`} child={child} now={now} onEnd={end} />)}
      </section>
    </div>
  );
}

function ChildCard({ child, now, onEnd }: { child: MonitoredChild; now: number; onEnd: (pid: number) => Promise<void> }) {
  const totals = latestSample(child.totals);
  const leaked = child.tree.some((node) => node.leaked && node.alive);
  const label = `Process ${child.pid} of ${child.server}`;
  return (
    <article className={`procmon-child${leaked ? ' procmon-child-leaked' : ''}`} aria-label={label} data-testid="process-child" data-pid={child.pid} data-ended={child.ended ? 'true' : 'false'}>
      <header className="procmon-child-head">
        <span className="mono procmon-command" title={[child.command, ...child.args].join(' ')}>
          {[child.command, ...child.args].join(' ')}
        </span>
        <span className="muted">
          {child.era === 'modern' ? 'shared modern-era process' : `session ${child.sessionId.slice(0, 8)}`} · pid {child.pid} · started {formatClock(child.startedAt)}
        </span>
      </header>
      {child.ended ? (
        <p className="procmon-ended" data-testid="process-exit">
          {describeEnd(child.ended)} at {formatClock(child.ended.at)}, after {formatUptime(child.ended.at - child.startedAt)}
        </p>
      ) : (
        totals && (
          <dl className="procmon-totals" aria-label={`Whole tree of ${child.pid}`}>
            <dt>CPU</dt>
            <dd>
              {formatCpu(totals.cpu)} <Sparkline samples={child.totals} pick={(sample) => sample.cpu} floor={100} label={`CPU of the tree of ${child.pid}`} format={formatCpu} />
            </dd>
            <dt>Memory</dt>
            <dd>
              {formatBytes(totals.rssBytes)} <Sparkline samples={child.totals} pick={(sample) => sample.rssBytes} floor={64 * 1024 * 1024} label={`Memory of the tree of ${child.pid}`} format={formatBytes} />
            </dd>
            {totals.fds !== undefined && (
              <>
                <dt>Open files</dt>
                <dd>{totals.fds}</dd>
              </>
            )}
          </dl>
        )
      )}
      <table className="procmon-tree" aria-label={`Process tree of ${child.pid}`}>
        <thead>
          <tr>
            <th scope="col">Process</th>
            <th scope="col">CPU</th>
            <th scope="col">Memory</th>
            <th scope="col">Open files</th>
            <th scope="col">Uptime</th>
            <th scope="col">Trend</th>
            <th scope="col">
              <span className="visually-hidden">Action</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {child.tree.map((node) => (
            <ProcessRow key={node.pid} node={node} now={now} onEnd={onEnd} />
          ))}
        </tbody>
      </table>
      {child.tree.length === 1 && !child.ended && child.tree[0]!.samples.length === 0 && <p className="muted">No sample yet: the first comes within a second.</p>}
      {child.ended && (
        <section aria-label={`Last stderr lines of ${child.pid}`}>
          <h5>Last stderr lines</h5>
          {child.stderrTail.length === 0 ? <p className="muted">It wrote nothing to stderr.</p> : <pre className="insp-pre procmon-stderr">{child.stderrTail.join('\n')}</pre>}
        </section>
      )}
    </article>
  );
}

function ProcessRow({ node, now, onEnd }: { node: ProcessNode; now: number; onEnd: (pid: number) => Promise<void> }) {
  const [ending, setEnding] = useState(false);
  const latest = node.alive ? latestSample(node.samples) : undefined;
  const leaked = node.leaked && node.alive;
  const name = node.command ?? (node.depth === 0 ? 'server process' : `started by ${node.ppid}`);
  return (
    <tr className={leaked ? 'procmon-leaked' : node.alive ? undefined : 'procmon-gone'} data-testid="process-row" data-pid={node.pid} data-rss-bytes={latest?.rssBytes ?? ''} data-leaked={leaked ? 'true' : 'false'}>
      <th scope="row" className="procmon-name">
        <span style={{ paddingInlineStart: `${node.depth * 14}px` }}>
          {node.depth > 0 && <span aria-hidden="true">└ </span>}
          <span className="mono">{node.pid}</span> <span className="mono procmon-command">{name}</span>
          {leaked && <span className="procmon-badge">leaked</span>}
          {!node.alive && <span className="muted"> (ended)</span>}
        </span>
      </th>
      <td className="mono">{latest ? formatCpu(latest.cpu) : '–'}</td>
      <td className="mono" data-testid="process-rss">
        {latest ? formatBytes(latest.rssBytes) : '–'}
      </td>
      <td className="mono">{latest?.fds ?? '–'}</td>
      <td className="mono">{node.alive && node.startedAt !== undefined ? formatUptime(now - node.startedAt) : '–'}</td>
      <td>
        {node.samples.length > 1 && (
          <>
            <Sparkline samples={node.samples} pick={(sample) => sample.cpu} floor={100} label={`CPU of ${node.pid}`} format={formatCpu} />
            <Sparkline samples={node.samples} pick={(sample) => sample.rssBytes} floor={64 * 1024 * 1024} label={`Memory of ${node.pid}`} format={formatBytes} />
          </>
        )}
      </td>
      <td>
        {leaked && (
          <button
            type="button"
            className="danger"
            aria-label={`End process ${node.pid}`}
            disabled={ending}
            onClick={() => {
              setEnding(true);
              void onEnd(node.pid).finally(() => setEnding(false));
            }}
          >
            End process
          </button>
        )}
      </td>
    </tr>
  );
}

/** A small SVG line of the last samples; its label says the range, for screen readers. */
function Sparkline({ samples, pick, floor, label, format }: { samples: readonly ProcessFigures[]; pick: (sample: ProcessFigures) => number; floor: number; label: string; format: (value: number) => string }) {
  const values = lastSamples(samples, SPARK_SAMPLES).map(pick);
  if (values.length < 2) return null;
  const width = 80;
  const height = 18;
  const summary = `${label} over the last ${values.length} samples: from ${format(Math.min(...values))} to ${format(Math.max(...values))}, now ${format(values[values.length - 1]!)}`;
  return (
    <svg className="procmon-spark" width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={summary}>
      <polyline points={sparklinePoints(values, width, height - 1, floor)} fill="none" stroke="currentColor" strokeWidth="1.5" />
    </svg>
  );
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
