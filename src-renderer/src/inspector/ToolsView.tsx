import type { Client, ServerCapabilities, Tool } from '@modelcontextprotocol/client';
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { matchesChord, SHORTCUTS } from '../../../src-shared/shortcuts';
import { useNow } from '../components/use-now';
import { PLATFORM } from '../keyboard/platform';
import { AppView } from '../apps/AppView';
import { appResourceProblemOf, appResourceUriOf } from '../apps/app-resource';
import { CallOutcome } from './CallOutcome';
import { ToolResult } from './ContentBlocks';
import { focusFirstField, useReveal } from './inspector-reveal';
import { sessionOf, setToolDraft, toolDraftOf, useInspectorStore, type ToolCallState } from './inspector-store';
import { ListPane } from './ListPane';
import { CacheHintLine } from './modern/CacheHintLine';
import { isModern } from './modern/modern-call';
import { RequestOptionsDisclosure } from './modern/RequestOptionsDisclosure';
import { TaskPanel } from './modern/TaskPanel';
import { describeToolResult } from './result-model';
import { buildFromDraft, describePath } from './schema-form/build';
import { initialValue } from './schema-form/form-model';
import { isPlainObject, type JsonSchema } from './schema-form/json-schema';
import { SchemaForm } from './schema-form/SchemaForm';
import { validateValue, type SchemaError } from './schema-form/validate';
import { annotationTags, toolDisplayName } from './tool-model';
import { formatDuration } from './time-format';
import { cancelToolCall, runToolCall } from './tool-calls';
import { useServerList } from './use-server-list';

/** Ctrl/Cmd+Enter anywhere in the arguments form runs the tool (the shared table's chord). */
const RUN_CHORD = SHORTCUTS.find((shortcut) => shortcut.id === 'run-tool')!.chord;

interface ToolsViewProps {
  server: string;
  client: Client;
  capabilities: ServerCapabilities | undefined;
}

/** The Tools tab: the server's tools on the left, the selected one's form, call and result on the right. */
export function ToolsView({ server, client, capabilities }: ToolsViewProps) {
  const tools = useServerList(server, 'tools', Boolean(capabilities?.tools));
  const [selected, setSelected] = useState<string>();
  // A tool chosen in the command palette is selected and its form takes the focus once shown.
  const [focusTool, setFocusTool] = useState<string>();
  useReveal(server, 'tools', (request) => {
    setSelected(request.key);
    setFocusTool(request.key);
  });
  const tool = tools.list.items.find((candidate) => candidate.name === selected);

  if (!capabilities?.tools) return <p className="muted insp-empty">This server offers no tools.</p>;
  return (
    <div className="insp-split">
      <div className="insp-list-column">
        <ListPane
          title="Tools"
          state={tools}
          empty="No tools."
          items={tools.list.items.map((candidate) => ({
            key: candidate.name,
            label: candidate.name,
            secondary: toolDisplayName(candidate) !== candidate.name ? toolDisplayName(candidate) : undefined,
            // An MCP App's tool (its UI resource in _meta.ui.resourceUri) says so in the list.
            tags: [...(appResourceUriOf(candidate) ? ['app'] : []), ...annotationTags(candidate.annotations).map((tag) => tag.label)],
          }))}
          selected={selected}
          onSelect={setSelected}
        />
        <CacheHintLine server={server} method="tools/list" />
      </div>
      <div className="insp-detail-pane">
        {tool ? <ToolDetail key={tool.name} server={server} client={client} tool={tool} focusForm={focusTool === tool.name} onFormFocused={() => setFocusTool(undefined)} /> : <p className="muted insp-empty">Select a tool to call it.</p>}
      </div>
    </div>
  );
}

type Mode = 'form' | 'json';

/** One tool: its annotations and description, the arguments form (or raw JSON), Call/Cancel, progress and result. */
function ToolDetail({ server, client, tool, focusForm, onFormFocused }: { server: string; client: Client; tool: Tool; focusForm: boolean; onFormFocused(): void }) {
  const schema = tool.inputSchema as JsonSchema;
  const stored = useInspectorStore((state) => toolDraftOf(state, server, tool.name));
  const call = useInspectorStore((state) => sessionOf(state, server).toolCalls[tool.name]);
  const [mode, setMode] = useState<Mode>(stored?.raw !== undefined ? 'json' : 'form');
  const [draft, setDraft] = useState<unknown>(() => (stored ? stored.value : initialValue(schema, schema)));
  const [raw, setRaw] = useState(stored?.raw ?? '');
  const [formKey, setFormKey] = useState(0);
  const [attempted, setAttempted] = useState(false);
  const [rawProblem, setRawProblem] = useState<string>();
  const [blocked, setBlocked] = useState<SchemaError[]>();

  const built = useMemo(() => buildFromDraft(draft, schema), [draft, schema]);
  // Drafts outlive switching tools, tabs and servers.
  useEffect(() => {
    setToolDraft(server, tool.name, { value: draft, raw: mode === 'json' ? raw : undefined });
  }, [server, tool.name, draft, raw, mode]);

  const rawArguments = (): { args?: Record<string, unknown>; problem?: string; errors: SchemaError[] } => {
    if (raw.trim() === '') return { args: {}, errors: validateValue({}, schema) };
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch (error) {
      return { problem: `Not valid JSON: ${error instanceof Error ? error.message : String(error)}`, errors: [] };
    }
    if (!isPlainObject(parsed)) return { problem: 'Arguments must be a JSON object', errors: [] };
    return { args: parsed, errors: validateValue(parsed, schema) };
  };

  const submit = (force: boolean) => {
    setAttempted(true);
    const prepared = mode === 'form' ? { args: built.value as Record<string, unknown>, errors: built.errors, problem: undefined } : rawArguments();
    setRawProblem(prepared.problem);
    if (prepared.problem || !prepared.args) return;
    if (prepared.errors.length > 0 && !force) {
      setBlocked(prepared.errors);
      return;
    }
    setBlocked(undefined);
    void runToolCall(server, client, tool.name, prepared.args);
  };

  const switchMode = (next: Mode) => {
    if (next === mode) return;
    if (next === 'json') {
      setRaw(JSON.stringify(built.value, null, 2));
      setRawProblem(undefined);
      setMode('json');
      return;
    }
    const prepared = rawArguments();
    if (prepared.problem) {
      setRawProblem(`${prepared.problem}: fix it to go back to the form`);
      return;
    }
    setDraft(prepared.args);
    setFormKey((key) => key + 1);
    setRawProblem(undefined);
    setMode('form');
  };

  const reset = () => {
    setDraft(initialValue(schema, schema));
    setRaw('');
    setFormKey((key) => key + 1);
    setAttempted(false);
    setBlocked(undefined);
    setRawProblem(undefined);
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    submit(false);
  };

  const running = call?.status === 'running';
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (!focusForm) return;
    focusFirstField(formRef.current);
    onFormFocused();
  }, [focusForm, onFormFocused]);
  const errors = mode === 'form' ? built.errors : blocked ?? [];
  const shownErrors = attempted && errors.length > 0 ? errors : undefined;
  const tags = annotationTags(tool.annotations);
  const appUri = appResourceUriOf(tool);
  const appProblem = appResourceProblemOf(tool);

  return (
    <article className="insp-detail" aria-label={`Tool ${tool.name}`}>
      <header className="insp-detail-header">
        <h3 className="mono">{tool.name}</h3>
        {toolDisplayName(tool) !== tool.name && <span className="insp-subtitle">{toolDisplayName(tool)}</span>}
        {tags.map((tag) => (
          <span key={tag.label} className={`tag insp-hint insp-hint-${tag.tone}`} title={tag.meaning}>
            {tag.label}
          </span>
        ))}
        {appUri && (
          <span className="tag insp-hint" title={`An MCP App: a call shows ${appUri} in a sandbox`}>
            app
          </span>
        )}
      </header>
      {tool.description && <p className="insp-description">{tool.description}</p>}
      {appProblem && (
        <p className="insp-call-error" role="alert">
          This tool's UI resource cannot be shown: {appProblem}
        </p>
      )}

      <form
        ref={formRef}
        className="insp-call-form"
        onSubmit={onSubmit}
        noValidate
        onKeyDown={(event) => {
          if (!matchesChord(event, RUN_CHORD, PLATFORM)) return;
          event.preventDefault();
          event.currentTarget.requestSubmit();
        }}
      >
        <div className="insp-row">
          <div className="insp-segmented" role="group" aria-label="Input mode">
            <button type="button" aria-pressed={mode === 'form'} onClick={() => switchMode('form')}>
              Form
            </button>
            <button type="button" aria-pressed={mode === 'json'} onClick={() => switchMode('json')}>
              JSON
            </button>
          </div>
          <button type="button" onClick={reset}>
            Reset
          </button>
        </div>

        {mode === 'form' ? (
          <SchemaForm key={formKey} schema={schema} value={draft} onChange={setDraft} errors={attempted ? built.errors : undefined} label={`Arguments of ${tool.name}`} />
        ) : (
          <div className="sf-field">
            <label htmlFor={`raw-${tool.name}`}>Arguments (JSON)</label>
            <textarea
              id={`raw-${tool.name}`}
              className="insp-raw"
              rows={10}
              spellCheck={false}
              value={raw}
              aria-invalid={rawProblem ? true : undefined}
              onChange={(event) => {
                setRaw(event.target.value);
                setBlocked(undefined);
              }}
            />
          </div>
        )}
        {rawProblem && (
          <p className="form-error" role="alert">
            {rawProblem}
          </p>
        )}
        {shownErrors && (
          <div className="insp-error-summary" role="alert">
            <p>The arguments do not fit the input schema:</p>
            <ul className="insp-errors">
              {shownErrors.map((error, index) => (
                <li key={index}>
                  {describePath(error.path)}: {error.message}
                </li>
              ))}
            </ul>
            <button type="button" onClick={() => submit(true)} disabled={running}>
              Call anyway
            </button>
          </div>
        )}

        {isModern(client) && <RequestOptionsDisclosure server={server} />}
        <div className="insp-row insp-actions">
          <button type="submit" className="primary" disabled={running}>
            Call
          </button>
          <button type="button" onClick={() => cancelToolCall(server, tool.name)} disabled={!running}>
            Cancel
          </button>
          {call && <CallStatus call={call} />}
        </div>
      </form>

      {call?.status === 'running' && call.progress && <ProgressBar progress={call.progress} />}
      <CallOutcome running={running} label={`Outcome of ${tool.name}`}>
        {call?.status === 'failed' && (
          <p className="insp-call-error" role="alert">
            {call.error}
          </p>
        )}
        {call?.result && call.status !== 'running' && <ToolResult view={describeToolResult(call.result, tool.outputSchema as JsonSchema | undefined)} />}
        {call?.status === 'task' && <TaskPanel server={server} tool={tool.name} outputSchema={tool.outputSchema as JsonSchema | undefined} />}
      </CallOutcome>
      {appUri && call?.status === 'done' && <AppView key={call.startedAt} server={server} client={client} tool={tool} resourceUri={appUri} call={{ arguments: call.arguments as Record<string, unknown>, result: call.result }} />}

      <details className="insp-more">
        <summary>Schemas{call ? ' and arguments sent' : ''}</summary>
        {call && (
          <>
            <h4>Arguments sent</h4>
            <pre className="insp-pre">{JSON.stringify(call.arguments, null, 2)}</pre>
          </>
        )}
        <h4>Input schema</h4>
        <pre className="insp-pre">{JSON.stringify(tool.inputSchema, null, 2)}</pre>
        {tool.outputSchema && (
          <>
            <h4>Output schema</h4>
            <pre className="insp-pre">{JSON.stringify(tool.outputSchema, null, 2)}</pre>
          </>
        )}
      </details>
    </article>
  );
}

/** Running (with a ticking time), done, failed or cancelled, and how long it took. */
function CallStatus({ call }: { call: ToolCallState }) {
  const now = useNow(call.status === 'running' ? 100 : 60_000);
  const elapsed = formatDuration((call.endedAt ?? now) - call.startedAt);
  return (
    <span className={`insp-status insp-status-${call.status}`} role="status" data-status={call.status}>
      {call.status === 'running' && (
        <>
          <span className="spinner" aria-hidden="true" /> Running… {elapsed}
        </>
      )}
      {call.status === 'done' && `Done in ${elapsed}`}
      {call.status === 'failed' && `Failed after ${elapsed}`}
      {call.status === 'cancelled' && `Cancelled after ${elapsed}`}
      {call.status === 'task' && `Answered with a task after ${elapsed}`}
    </span>
  );
}

function ProgressBar({ progress }: { progress: NonNullable<ToolCallState['progress']> }) {
  const text = `${progress.progress}${progress.total !== undefined ? ` / ${progress.total}` : ''}${progress.message ? ` · ${progress.message}` : ''}`;
  return (
    <div className="insp-progress" data-testid="tool-progress">
      <progress value={progress.total !== undefined ? progress.progress : undefined} max={progress.total} aria-label="Progress" />
      <span className="mono">{text}</span>
    </div>
  );
}
