import type { Client, GetPromptResult, Prompt, ServerCapabilities } from '@modelcontextprotocol/client';
import { useEffect, useRef, useState } from 'react';
import { ArgumentInput } from './ArgumentInput';
import { focusFirstField, useReveal } from './inspector-reveal';
import { Messages } from './ContentBlocks';
import { ListPane } from './ListPane';
import { CacheHintLine } from './modern/CacheHintLine';
import { prepareModernCall } from './modern/modern-call';
import { RequestOptionsDisclosure } from './modern/RequestOptionsDisclosure';
import { withRequestMeta } from './modern/request-options';
import { describeMessages } from './result-model';
import { CallOutcome } from './CallOutcome';
import { errorMessage } from './tool-calls';
import { useServerList } from './use-server-list';

interface PromptsViewProps {
  server: string;
  client: Client;
  capabilities: ServerCapabilities | undefined;
}

/** The Prompts tab: the prompts on the left; the selected one's arguments (with completions), Get, and its messages. */
export function PromptsView({ server, client, capabilities }: PromptsViewProps) {
  const prompts = useServerList(server, 'prompts', Boolean(capabilities?.prompts));
  const [selected, setSelected] = useState<string>();
  // A prompt chosen in the command palette is selected with the focus in its form.
  const [focusPrompt, setFocusPrompt] = useState<string>();
  useReveal(server, 'prompts', (request) => {
    setSelected(request.key);
    setFocusPrompt(request.key);
  });
  const prompt = prompts.list.items.find((candidate) => candidate.name === selected);

  if (!capabilities?.prompts) return <p className="muted insp-empty">This server offers no prompts.</p>;
  return (
    <div className="insp-split">
      <div className="insp-list-column">
        <ListPane
          title="Prompts"
          state={prompts}
          empty="No prompts."
          items={prompts.list.items.map((candidate) => ({ key: candidate.name, label: candidate.name, secondary: candidate.title }))}
          selected={selected}
          onSelect={setSelected}
        />
        <CacheHintLine server={server} method="prompts/list" />
      </div>
      <div className="insp-detail-pane">
        {prompt ? (
          <PromptDetail
            key={prompt.name}
            server={server}
            client={client}
            prompt={prompt}
            canComplete={Boolean(capabilities.completions)}
            focusForm={focusPrompt === prompt.name}
            onFormFocused={() => setFocusPrompt(undefined)}
          />
        ) : (
          <p className="muted insp-empty">Select a prompt to get it.</p>
        )}
      </div>
    </div>
  );
}

interface PromptRun {
  status: 'getting' | 'done' | 'failed';
  result?: GetPromptResult;
  error?: string;
}

interface PromptDetailProps {
  server: string;
  client: Client;
  prompt: Prompt;
  canComplete: boolean;
  /** Focus its first argument, else Get prompt (chosen in the command palette). */
  focusForm: boolean;
  onFormFocused(): void;
}

function PromptDetail({ server, client, prompt, canComplete, focusForm, onFormFocused }: PromptDetailProps) {
  const argumentsList = prompt.arguments ?? [];
  const [values, setValues] = useState<Record<string, string>>(() => Object.fromEntries(argumentsList.map((argument) => [argument.name, ''])));
  const [run, setRun] = useState<PromptRun>();
  const [attempted, setAttempted] = useState(false);
  const missing = argumentsList.filter((argument) => argument.required && (values[argument.name] ?? '') === '').map((argument) => argument.name);

  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (!focusForm) return;
    focusFirstField(formRef.current);
    onFormFocused();
  }, [focusForm, onFormFocused]);

  const get = () => {
    setAttempted(true);
    if (missing.length > 0) return;
    // Empty optional arguments are left out rather than sent as "".
    const args = Object.fromEntries(Object.entries(values).filter(([, value]) => value !== ''));
    setRun({ status: 'getting' });
    let modern: ReturnType<typeof prepareModernCall>;
    try {
      modern = prepareModernCall(server, client, 'prompts/get', prompt.name);
    } catch (error) {
      setRun({ status: 'failed', error: errorMessage(error) });
      return;
    }
    client
      .getPrompt(withRequestMeta({ name: prompt.name, arguments: args }, modern.meta), modern.options)
      .then((result) => setRun({ status: 'done', result }))
      .catch((error: unknown) => setRun({ status: 'failed', error: errorMessage(error) }))
      .finally(() => modern.end());
  };

  return (
    <article className="insp-detail" aria-label={`Prompt ${prompt.name}`}>
      <header className="insp-detail-header">
        <h3 className="mono">{prompt.name}</h3>
        {prompt.title && <span className="insp-subtitle">{prompt.title}</span>}
      </header>
      {prompt.description && <p className="insp-description">{prompt.description}</p>}
      <form
        ref={formRef}
        className="insp-call-form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          get();
        }}
      >
        {argumentsList.length === 0 ? (
          <p className="muted sf-none">No arguments.</p>
        ) : (
          <div className="sf-form" role="group" aria-label={`Arguments of ${prompt.name}`}>
            {argumentsList.map((argument) => (
              <ArgumentInput
                key={argument.name}
                client={client}
                canComplete={canComplete}
                completionRef={{ type: 'ref/prompt', name: prompt.name }}
                name={argument.name}
                required={argument.required === true}
                description={argument.description}
                value={values[argument.name] ?? ''}
                values={values}
                onChange={(value) => setValues((current) => ({ ...current, [argument.name]: value }))}
                error={attempted && missing.includes(argument.name) ? 'Required' : undefined}
              />
            ))}
          </div>
        )}
        {client.getProtocolEra() === 'modern' && <RequestOptionsDisclosure server={server} />}
        <div className="insp-row insp-actions">
          <button type="submit" className="primary" disabled={run?.status === 'getting'}>
            Get prompt
          </button>
          {run?.status === 'getting' && (
            <span className="muted" role="status">
              <span className="spinner" aria-hidden="true" /> Getting…
            </span>
          )}
        </div>
      </form>
      <CallOutcome running={run?.status === 'getting'} label={`Outcome of prompt ${prompt.name}`}>
        {run?.status === 'failed' && (
          <p className="insp-call-error" role="alert">
            {run.error}
          </p>
        )}
        {run?.result && (
          <section className="insp-read" aria-label="Prompt messages" data-testid="prompt-messages">
            {run.result.description && <p className="insp-description">{run.result.description}</p>}
            <Messages messages={describeMessages(run.result.messages)} />
          </section>
        )}
      </CallOutcome>
    </article>
  );
}
