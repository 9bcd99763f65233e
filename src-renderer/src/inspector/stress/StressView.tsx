import type { Prompt, Tool } from '@modelcontextprotocol/client';
import { useEffect, useId, useMemo, useState, type FormEvent } from 'react';
import { latestSample } from '../../../../src-shared/processes';
import { describeErrorKind, describeTarget, errorCount, MAX_STRESS_CONCURRENCY, MAX_STRESS_SESSIONS, type StressFigures, type StressRun, type StressTarget } from '../../../../src-shared/stress';
import { downloadText } from '../../timeline/download';
import { formatBytes, formatCpu } from '../processes/process-format';
import { useProcessStore, watchProcesses } from '../processes/process-store';
import { buildFromDraft } from '../schema-form/build';
import { initialValue } from '../schema-form/form-model';
import { isPlainObject, type JsonSchema } from '../schema-form/json-schema';
import { SchemaForm } from '../schema-form/SchemaForm';
import { useServerList } from '../use-server-list';
import { HistogramChart, LatencyChart } from './StressCharts';
import { formatMs, formatRate, relativeChange } from './stress-format';
import { exportRun, followStressRuns, loadRun, refreshSavedRuns, removeRun, startStress, stopStress, useStressStore } from './stress-store';

type TargetKind = StressTarget['kind'];

/** A prompt's arguments as a schema, so the same form fills them (every argument is a string). */
function promptSchema(prompt: Prompt | undefined): JsonSchema {
  const args = prompt?.arguments ?? [];
  return {
    type: 'object',
    properties: Object.fromEntries(args.map((arg) => [arg.name, { type: 'string', ...(arg.description ? { description: arg.description } : {}) }])),
    required: args.filter((arg) => arg.required).map((arg) => arg.name),
  };
}

function toolSchema(tool: Tool | undefined): JsonSchema {
  return isPlainObject(tool?.inputSchema) ? (tool.inputSchema as JsonSchema) : { type: 'object' };
}

/**
 * The Stress tab of a connected server: a target (a tool with its arguments in the tool's own form, a resource read
 * or a prompt get), a load, Start and Stop, and while it runs a progress bar, live figures, the server's CPU and
 * memory (stdio servers, from the process monitor), latency over time and a histogram. Below, the saved runs of the
 * server: two compared side by side, each exported as JSON or CSV. The run goes through the proxy from main, so it
 * goes on when the tab is left.
 */
export function StressView({ server, shown, stdio }: { server: string; shown: boolean; stdio: boolean }) {
  const id = useId();
  useEffect(() => {
    followStressRuns();
    if (shown) void refreshSavedRuns(server);
  }, [server, shown]);
  const progress = useStressStore((state) => state.progress[server]);
  const error = useStressStore((state) => state.errors[server]);
  const running = progress !== undefined && progress.state !== 'done';

  const tools = useServerList(server, 'tools', shown).list.items;
  const resources = useServerList(server, 'resources', shown).list.items;
  const prompts = useServerList(server, 'prompts', shown).list.items;
  const [kind, setKind] = useState<TargetKind>('tool');
  const [toolName, setToolName] = useState('');
  const [uri, setUri] = useState('');
  const [promptName, setPromptName] = useState('');
  const tool = tools.find((candidate) => candidate.name === toolName) ?? tools[0];
  const prompt = prompts.find((candidate) => candidate.name === promptName) ?? prompts[0];
  const schema = useMemo(() => (kind === 'prompt' ? promptSchema(prompt) : toolSchema(tool)), [kind, prompt, tool]);
  const formKey = kind === 'prompt' ? `prompt:${prompt?.name}` : `tool:${tool?.name}`;
  const [drafts, setDrafts] = useState<Record<string, unknown>>({});
  const draft = formKey in drafts ? drafts[formKey] : initialValue(schema, schema);
  const built = buildFromDraft(draft, schema);

  const [concurrency, setConcurrency] = useState('10');
  const [durationS, setDurationS] = useState('10');
  const [calls, setCalls] = useState('');
  const [rate, setRate] = useState('');
  const [cancelPercent, setCancelPercent] = useState('0');
  const [cancelAfterMs, setCancelAfterMs] = useState('50');
  const [sessions, setSessions] = useState('1');
  const [timeoutS, setTimeoutS] = useState('30');
  const [attempted, setAttempted] = useState(false);

  const number = (text: string): number | undefined => (text.trim() === '' ? undefined : Number(text));
  const start = (event: FormEvent) => {
    event.preventDefault();
    setAttempted(true);
    if (kind !== 'resource' && built.errors.length > 0) return;
    const args = (isPlainObject(built.value) ? built.value : {}) as Record<string, unknown>;
    const target: StressTarget =
      kind === 'tool'
        ? { kind: 'tool', name: tool?.name ?? '', arguments: args }
        : kind === 'resource'
          ? { kind: 'resource', uri: uri || resources[0]?.uri || '' }
          : { kind: 'prompt', name: prompt?.name ?? '', arguments: Object.fromEntries(Object.entries(args).map(([key, value]) => [key, String(value)])) };
    const duration = number(durationS);
    void startStress({
      server,
      target,
      load: {
        concurrency: number(concurrency) ?? 10,
        durationMs: duration === undefined ? undefined : Math.round(duration * 1000),
        calls: number(calls),
        rate: number(rate),
        cancelShare: (number(cancelPercent) ?? 0) / 100,
        cancelAfterMs: number(cancelAfterMs) ?? 50,
        sessions: number(sessions) ?? 1,
        callTimeoutMs: Math.round((number(timeoutS) ?? 30) * 1000),
      },
    });
  };

  const field = (name: string, label: string, value: string, set: (next: string) => void, props: { min?: number; max?: number; step?: string; hint?: string } = {}) => (
    <div className="stress-field">
      <label htmlFor={`${id}-${name}`}>{label}</label>
      <input id={`${id}-${name}`} type="number" inputMode="decimal" value={value} min={props.min} max={props.max} step={props.step ?? 'any'} disabled={running} onChange={(event) => set(event.target.value)} aria-describedby={props.hint ? `${id}-${name}-hint` : undefined} />
      {props.hint && (
        <span id={`${id}-${name}-hint`} className="muted stress-hint">
          {props.hint}
        </span>
      )}
    </div>
  );

  return (
    <div className="stress" data-testid="stress-view">
      <form className="stress-setup" onSubmit={start} noValidate aria-label={`Stress run of ${server}`}>
        <fieldset disabled={running}>
          <legend>Target</legend>
          <div className="stress-row">
            <div className="stress-field">
              <label htmlFor={`${id}-kind`}>Each call</label>
              <select id={`${id}-kind`} className="sf-select" value={kind} onChange={(event) => setKind(event.target.value as TargetKind)}>
                <option value="tool">tools/call</option>
                <option value="resource">resources/read</option>
                <option value="prompt">prompts/get</option>
              </select>
            </div>
            {kind === 'tool' && (
              <div className="stress-field">
                <label htmlFor={`${id}-tool`}>Tool</label>
                <select id={`${id}-tool`} className="sf-select" value={tool?.name ?? ''} onChange={(event) => setToolName(event.target.value)}>
                  {tools.map((candidate) => (
                    <option key={candidate.name} value={candidate.name}>
                      {candidate.name}
                    </option>
                  ))}
                </select>
              </div>
            )}
            {kind === 'resource' && (
              <div className="stress-field stress-grow">
                <label htmlFor={`${id}-uri`}>Resource URI</label>
                <input id={`${id}-uri`} list={`${id}-uris`} value={uri} placeholder={resources[0]?.uri ?? 'scheme://resource'} onChange={(event) => setUri(event.target.value)} />
                <datalist id={`${id}-uris`}>
                  {resources.map((resource) => (
                    <option key={resource.uri} value={resource.uri} />
                  ))}
                </datalist>
              </div>
            )}
            {kind === 'prompt' && (
              <div className="stress-field">
                <label htmlFor={`${id}-prompt`}>Prompt</label>
                <select id={`${id}-prompt`} className="sf-select" value={prompt?.name ?? ''} onChange={(event) => setPromptName(event.target.value)}>
                  {prompts.map((candidate) => (
                    <option key={candidate.name} value={candidate.name}>
                      {candidate.name}
                    </option>
                  ))}
                </select>
              </div>
            )}
          </div>
          {kind !== 'resource' && (
            <SchemaForm key={formKey} schema={schema} value={draft} onChange={(next) => setDrafts((all) => ({ ...all, [formKey]: next }))} errors={attempted ? built.errors : undefined} label={`Arguments of ${kind === 'tool' ? tool?.name : prompt?.name} for the stress run`} />
          )}
        </fieldset>
        <fieldset disabled={running}>
          <legend>Load</legend>
          <div className="stress-row">
            {field('concurrency', 'Calls in flight', concurrency, setConcurrency, { min: 1, max: MAX_STRESS_CONCURRENCY, step: '1' })}
            {field('duration', 'Duration (s)', durationS, setDurationS, { min: 0.1, hint: 'empty: until the call count' })}
            {field('calls', 'Calls', calls, setCalls, { min: 1, step: '1', hint: 'empty: for the duration' })}
            {field('rate', 'Rate (calls/s)', rate, setRate, { min: 1, hint: 'empty: open loop' })}
          </div>
          <div className="stress-row">
            {field('cancel', 'Cancel (% of calls)', cancelPercent, setCancelPercent, { min: 0, max: 100 })}
            {field('cancel-after', 'Cancel after (ms)', cancelAfterMs, setCancelAfterMs, { min: 0, step: '1' })}
            {field('sessions', 'Sessions', sessions, setSessions, { min: 1, max: MAX_STRESS_SESSIONS, step: '1', hint: '1: one shared session' })}
            {field('timeout', 'Call timeout (s)', timeoutS, setTimeoutS, { min: 0.001 })}
          </div>
        </fieldset>
        <div className="stress-row stress-actions">
          <button type="submit" className="primary" disabled={running}>
            Start
          </button>
          <button type="button" disabled={!running} onClick={() => progress && void stopStress(server, progress.runId)}>
            Stop
          </button>
          {error && (
            <span className="error-text" role="alert">
              {error}
            </span>
          )}
        </div>
      </form>
      {progress && <LiveRun server={server} stdio={stdio} />}
      <SavedRuns server={server} />
    </div>
  );
}

/** The run under way (or the last one that ended): progress, figures, charts. */
function LiveRun({ server, stdio }: { server: string; stdio: boolean }) {
  const progress = useStressStore((state) => state.progress[server])!;
  const running = progress.state !== 'done';
  const { figures } = progress;
  const run = progress.run;
  const state = running ? (progress.state === 'starting' ? 'Opening the sessions…' : progress.state === 'stopping' ? 'Stopping: cancelling the calls in flight…' : 'Running') : `Run ${run?.outcome ?? 'ended'}`;
  return (
    <section className="stress-live" aria-label="Stress run" data-testid="stress-live" data-state={progress.state}>
      <div className="stress-row">
        <progress className="stress-progress" max={1} value={figures.progress} aria-label="Stress run progress" />
        <span role="status" data-testid="stress-state">
          {state} · {Math.round(figures.progress * 100)} %
        </span>
      </div>
      {run?.failure && <p className="error-text">{run.failure}</p>}
      {progress.saveProblem && <p className="error-text">{progress.saveProblem}</p>}
      <FiguresList figures={figures} live={running} />
      {stdio && <ServerLoad server={server} watching={running} />}
      <div className="stress-charts">
        <LatencyChart series={progress.series} />
        <HistogramChart buckets={progress.histogram} />
      </div>
    </section>
  );
}

function FiguresList({ figures, live }: { figures: StressFigures; live: boolean }) {
  const errors = errorCount(figures);
  return (
    <dl className="stress-figures" data-testid="stress-figures">
      <Figure name={live ? 'Calls/s (last second)' : 'Calls/s (mean)'} value={formatRate(live ? figures.callsPerSecond : figures.meanCallsPerSecond)} testId="calls-per-second" />
      <Figure name="Sent" value={String(figures.started)} testId="sent" />
      <Figure name="OK" value={String(figures.ok)} testId="ok" />
      <Figure name="Errors" value={String(errors)} testId="errors" />
      <Figure name="Cancelled" value={String(figures.cancelled)} testId="cancelled" />
      <Figure name="In flight" value={String(figures.inFlight)} testId="in-flight" />
      <Figure name="p50" value={formatMs(figures.latency.p50)} testId="p50" />
      <Figure name="p95" value={formatMs(figures.latency.p95)} testId="p95" />
      <Figure name="p99" value={formatMs(figures.latency.p99)} testId="p99" />
      <Figure name="Max" value={formatMs(figures.latency.max)} testId="max" />
      {Object.entries(figures.errors).map(([kind, count]) => (
        <Figure key={kind} name={describeErrorKind(kind)} value={String(count)} title={figures.errorSamples[kind]} testId={`error-${kind}`} />
      ))}
    </dl>
  );
}

function Figure({ name, value, title, testId }: { name: string; value: string; title?: string; testId: string }) {
  return (
    <div className="stress-figure" title={title} data-testid={`stress-${testId}`}>
      <dt>{name}</dt>
      <dd className="mono">{value}</dd>
    </div>
  );
}

/** The server's CPU and memory beside the figures: its processes' totals from the process monitor. */
function ServerLoad({ server, watching }: { server: string; watching: boolean }) {
  useEffect(() => (watching ? watchProcesses(server) : undefined), [server, watching]);
  const snapshot = useProcessStore((state) => state.snapshots[server]);
  const samples = (snapshot?.children ?? []).filter((child) => !child.ended).map((child) => latestSample(child.totals));
  const present = samples.filter((sample) => sample !== undefined);
  return (
    <p className="stress-server-load" data-testid="stress-server-load">
      Server processes:{' '}
      {present.length === 0
        ? watching
          ? 'waiting for the first sample…'
          : 'sampled while a run is under way.'
        : `${present.length} running, CPU ${formatCpu(present.reduce((sum, sample) => sum + sample.cpu, 0))}, memory ${formatBytes(present.reduce((sum, sample) => sum + sample.rssBytes, 0))}`}
    </p>
  );
}

/** The server's saved runs: pick two to compare; export or delete each. */
function SavedRuns({ server }: { server: string }) {
  const runs = useStressStore((state) => state.saved[server]) ?? [];
  const problems = useStressStore((state) => state.problems[server]) ?? [];
  const [chosen, setChosen] = useState<string[]>([]);
  const [compared, setCompared] = useState<[StressRun, StressRun]>();
  const toggle = (runId: string) => setChosen((current) => (current.includes(runId) ? current.filter((other) => other !== runId) : [...current, runId].slice(-2)));
  const compare = async () => {
    const [a, b] = await Promise.all(chosen.map((runId) => loadRun(server, runId)));
    if (a && b) setCompared([a, b]);
  };
  const download = async (runId: string, format: 'json' | 'csv') => {
    const file = await exportRun(server, runId, format);
    if (file) downloadText(file.text, file.fileName, format === 'json' ? 'application/json' : 'text/csv');
  };
  return (
    <section className="stress-saved" aria-label="Saved stress runs">
      <h4>Saved runs</h4>
      {problems.map((problem) => (
        <p key={problem} className="error-text">
          {problem}
        </p>
      ))}
      {runs.length === 0 ? (
        <p className="muted">No saved run of this server yet.</p>
      ) : (
        <>
          <table className="stress-table" data-testid="stress-saved-runs">
            <thead>
              <tr>
                <th scope="col">Compare</th>
                <th scope="col">Started</th>
                <th scope="col">Target</th>
                <th scope="col">Load</th>
                <th scope="col">Calls</th>
                <th scope="col">Errors</th>
                <th scope="col">Calls/s</th>
                <th scope="col">p99</th>
                <th scope="col">Export</th>
              </tr>
            </thead>
            <tbody>
              {runs.map((run) => {
                const label = `run of ${new Date(run.startedAt).toLocaleString()}`;
                return (
                  <tr key={run.id} data-testid="stress-saved-run">
                    <td>
                      <input type="checkbox" aria-label={`Compare the ${label}`} checked={chosen.includes(run.id)} onChange={() => toggle(run.id)} />
                    </td>
                    <td>{new Date(run.startedAt).toLocaleTimeString()}</td>
                    <td className="mono">{describeTarget(run.settings.target)}</td>
                    <td>
                      {run.settings.load.concurrency} in flight{run.settings.load.cancelShare > 0 ? `, ${Math.round(run.settings.load.cancelShare * 100)} % cancelled` : ''}
                    </td>
                    <td>{run.calls}</td>
                    <td>{run.errors}</td>
                    <td>{formatRate(run.meanCallsPerSecond)}</td>
                    <td>{formatMs(run.p99)}</td>
                    <td className="stress-export">
                      <button type="button" aria-label={`Export the ${label} as JSON`} onClick={() => void download(run.id, 'json')}>
                        JSON
                      </button>
                      <button type="button" aria-label={`Export the ${label} as CSV`} onClick={() => void download(run.id, 'csv')}>
                        CSV
                      </button>
                      <button type="button" aria-label={`Delete the ${label}`} onClick={() => void removeRun(server, run.id)}>
                        Delete
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <button type="button" disabled={chosen.length !== 2} onClick={() => void compare()}>
            Compare the two chosen runs
          </button>
        </>
      )}
      {compared && <Comparison runs={compared} />}
    </section>
  );
}

/** Two runs side by side: the server's version, the settings and every figure, with the second's change. */
function Comparison({ runs: [a, b] }: { runs: [StressRun, StressRun] }) {
  const rows: [string, string, string, string][] = [];
  const text = (name: string, pick: (run: StressRun) => string) => rows.push([name, pick(a), pick(b), '']);
  const figure = (name: string, pick: (run: StressRun) => number, format: (value: number) => string) => rows.push([name, format(pick(a)), format(pick(b)), relativeChange(pick(a), pick(b))]);
  text('Started', (run) => new Date(run.startedAt).toLocaleString());
  text('Server version', (run) => (run.serverInfo ? `${run.serverInfo.name} ${run.serverInfo.version}` : 'unknown'));
  text('Target', (run) => describeTarget(run.settings.target));
  text('Arguments', (run) => (run.settings.target.kind === 'resource' ? '' : JSON.stringify(run.settings.target.arguments)));
  text('Calls in flight', (run) => String(run.settings.load.concurrency));
  text('Rate', (run) => (run.settings.load.rate === undefined ? 'open loop' : `${run.settings.load.rate} calls/s`));
  text('Cancelled share', (run) => `${Math.round(run.settings.load.cancelShare * 100)} % after ${run.settings.load.cancelAfterMs} ms`);
  text('Sessions', (run) => String(run.settings.load.sessions));
  text('Outcome', (run) => run.outcome);
  figure('Calls/s', (run) => run.figures.meanCallsPerSecond, formatRate);
  figure('OK', (run) => run.figures.ok, String);
  figure('Errors', (run) => errorCount(run.figures), String);
  figure('Cancelled', (run) => run.figures.cancelled, String);
  figure('p50', (run) => run.figures.latency.p50, formatMs);
  figure('p95', (run) => run.figures.latency.p95, formatMs);
  figure('p99', (run) => run.figures.latency.p99, formatMs);
  figure('Max', (run) => run.figures.latency.max, formatMs);
  return (
    <table className="stress-table stress-compare" data-testid="stress-compare" aria-label="Two stress runs compared">
      <thead>
        <tr>
          <th scope="col">Figure</th>
          <th scope="col">First run</th>
          <th scope="col">Second run</th>
          <th scope="col">Change</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([name, first, second, change]) => (
          <tr key={name}>
            <th scope="row">{name}</th>
            <td className="mono">{first}</td>
            <td className="mono">{second}</td>
            <td className="mono">{change}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
