import type { Client, ReadResourceResult, Resource, ResourceTemplateType as ResourceTemplate, ServerCapabilities } from '@modelcontextprotocol/client';
import { useEffect, useRef, useState } from 'react';
import { ArgumentInput } from './ArgumentInput';
import { ContentBlocks } from './ContentBlocks';
import { focusFirstField, useReveal } from './inspector-reveal';
import { patchSession, sessionOf, useInspectorStore } from './inspector-store';
import { ListPane } from './ListPane';
import { CacheHintLine } from './modern/CacheHintLine';
import { isModern, prepareModernCall } from './modern/modern-call';
import { RequestOptionsDisclosure } from './modern/RequestOptionsDisclosure';
import { withRequestMeta } from './modern/request-options';
import { describeResourceContents, formatBytes } from './result-model';
import { formatClock } from './time-format';
import { CallOutcome } from './CallOutcome';
import { errorMessage } from './tool-calls';
import { expandTemplate, missingVariables, templateVariables } from './uri-template';
import { useServerList } from './use-server-list';

interface ResourcesViewProps {
  server: string;
  client: Client;
  capabilities: ServerCapabilities | undefined;
}

type Selection = { kind: 'resource'; uri: string } | { kind: 'template'; uriTemplate: string };

/**
 * The Resources tab: resources (page by page) and templates on the left; the selected one on the right, to read,
 * fill in (templates, with completions) and subscribe to; the updates the server announced below.
 */
export function ResourcesView({ server, client, capabilities }: ResourcesViewProps) {
  const enabled = Boolean(capabilities?.resources);
  const resources = useServerList(server, 'resources', enabled);
  const templates = useServerList(server, 'resourceTemplates', enabled);
  const [selection, setSelection] = useState<Selection>();
  // A resource chosen in the command palette is selected and read; a template is selected with focus in its form.
  const [revealed, setRevealed] = useState<Selection>();
  useReveal(server, 'resources', (request) => {
    const chosen: Selection = request.kind === 'template' ? { kind: 'template', uriTemplate: request.key } : { kind: 'resource', uri: request.key };
    setSelection(chosen);
    setRevealed(chosen);
  });
  const onRevealed = () => setRevealed(undefined);
  // The modern era has no resources/subscribe: updates come on a subscriptions/listen stream (Subscriptions tab).
  const canSubscribe = capabilities?.resources?.subscribe === true && !isModern(client);

  if (!enabled) return <p className="muted insp-empty">This server offers no resources.</p>;
  const resource = selection?.kind === 'resource' ? resources.list.items.find((item) => item.uri === selection.uri) : undefined;
  const template = selection?.kind === 'template' ? templates.list.items.find((item) => item.uriTemplate === selection.uriTemplate) : undefined;

  return (
    <div className="insp-resources">
      <div className="insp-split">
        <div className="insp-list-column">
          <ListPane
            title="Resources"
            state={resources}
            empty="No resources."
            items={resources.list.items.map((item) => ({ key: item.uri, label: item.title ?? item.name, secondary: item.uri }))}
            selected={selection?.kind === 'resource' ? selection.uri : undefined}
            onSelect={(uri) => setSelection({ kind: 'resource', uri })}
          />
          <CacheHintLine server={server} method="resources/list" />
          <ListPane
            title="Templates"
            state={templates}
            empty="No templates."
            items={templates.list.items.map((item) => ({ key: item.uriTemplate, label: item.title ?? item.name, secondary: item.uriTemplate }))}
            selected={selection?.kind === 'template' ? selection.uriTemplate : undefined}
            onSelect={(uriTemplate) => setSelection({ kind: 'template', uriTemplate })}
          />
          <CacheHintLine server={server} method="resources/templates/list" />
        </div>
        <div className="insp-detail-pane">
          {resource && (
            <ResourceDetail
              key={resource.uri}
              server={server}
              client={client}
              resource={resource}
              canSubscribe={canSubscribe}
              readNow={revealed?.kind === 'resource' && revealed.uri === resource.uri}
              onReadStarted={onRevealed}
            />
          )}
          {template && (
            <TemplateDetail
              key={template.uriTemplate}
              server={server}
              client={client}
              template={template}
              canComplete={Boolean(capabilities?.completions)}
              focusForm={revealed?.kind === 'template' && revealed.uriTemplate === template.uriTemplate}
              onFormFocused={onRevealed}
            />
          )}
          {!resource && !template && <p className="muted insp-empty">Select a resource to read it, or a template to fill it in.</p>}
        </div>
      </div>
      {canSubscribe && <ResourceUpdates server={server} />}
    </div>
  );
}

/** A read as it went: under way, its contents, or what went wrong. */
interface ReadState {
  uri: string;
  status: 'reading' | 'done' | 'failed';
  result?: ReadResourceResult;
  error?: string;
}

function useResourceRead(server: string, client: Client): [ReadState | undefined, (uri: string) => void] {
  const [read, setRead] = useState<ReadState>();
  const start = (uri: string) => {
    setRead({ uri, status: 'reading' });
    let modern: ReturnType<typeof prepareModernCall>;
    try {
      modern = prepareModernCall(server, client, 'resources/read', uri);
    } catch (error) {
      setRead({ uri, status: 'failed', error: errorMessage(error) });
      return;
    }
    client
      // Every read reaches the server (the SDK would serve a body its ttlMs still calls fresh): an inspector shows what the server says now.
      .readResource(withRequestMeta({ uri }, modern.meta), { cacheMode: 'bypass', ...modern.options })
      .then((result) => setRead((current) => (current?.uri === uri ? { uri, status: 'done', result } : current)))
      .catch((error: unknown) => setRead((current) => (current?.uri === uri ? { uri, status: 'failed', error: errorMessage(error) } : current)))
      .finally(() => modern.end());
  };
  return [read, start];
}

/** The outcome of the view's reads; the focus moves to it when one ends. */
function ReadOutcome({ server, read }: { server: string; read: ReadState | undefined }) {
  return (
    <CallOutcome running={read?.status === 'reading'} label={read ? `Outcome of reading ${read.uri}` : 'Outcome of reading'}>
      <ReadOutcomeContent read={read} />
      {read?.status === 'done' && <CacheHintLine server={server} method="resources/read" uri={read.uri} />}
    </CallOutcome>
  );
}

function ReadOutcomeContent({ read }: { read: ReadState | undefined }) {
  if (!read) return null;
  if (read.status === 'reading') {
    return (
      <p className="muted" role="status">
        <span className="spinner" aria-hidden="true" /> Reading {read.uri}…
      </p>
    );
  }
  if (read.status === 'failed') {
    return (
      <p className="insp-call-error" role="alert">
        {read.error}
      </p>
    );
  }
  const contents = read.result?.contents ?? [];
  return (
    <section className="insp-read" aria-label={`Contents of ${read.uri}`} data-testid="resource-contents">
      <h4>
        Contents <span className="muted">({contents.length})</span>
      </h4>
      <ContentBlocks blocks={contents.map((entry) => describeResourceContents(entry as Record<string, unknown>))} />
    </section>
  );
}

interface ResourceDetailProps {
  server: string;
  client: Client;
  resource: Resource;
  canSubscribe: boolean;
  /** Read it at once (chosen in the command palette). */
  readNow: boolean;
  onReadStarted(): void;
}

function ResourceDetail({ server, client, resource, canSubscribe, readNow, onReadStarted }: ResourceDetailProps) {
  const [read, startRead] = useResourceRead(server, client);
  useEffect(() => {
    if (!readNow) return;
    // Its outcome takes the focus when the read ends (CallOutcome).
    startRead(resource.uri);
    onReadStarted();
  }, [readNow, onReadStarted, startRead, resource.uri]);
  const subscribed = useInspectorStore((state) => sessionOf(state, server).subscriptions.includes(resource.uri));
  const [subscriptionError, setSubscriptionError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const toggleSubscription = async () => {
    setBusy(true);
    setSubscriptionError(undefined);
    try {
      if (subscribed) {
        await client.unsubscribeResource({ uri: resource.uri });
        patchSession(server, client, (session) => ({ subscriptions: session.subscriptions.filter((uri) => uri !== resource.uri) }));
      } else {
        await client.subscribeResource({ uri: resource.uri });
        patchSession(server, client, (session) => ({ subscriptions: [...session.subscriptions, resource.uri] }));
      }
    } catch (error) {
      setSubscriptionError(errorMessage(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <article className="insp-detail" aria-label={`Resource ${resource.name}`}>
      <header className="insp-detail-header">
        <h3>{resource.title ?? resource.name}</h3>
        {resource.mimeType && <span className="tag">{resource.mimeType}</span>}
        {resource.size !== undefined && <span className="muted">{formatBytes(resource.size)}</span>}
        {subscribed && <span className="badge badge-ready">subscribed</span>}
      </header>
      <p className="mono">{resource.uri}</p>
      {resource.description && <p className="insp-description">{resource.description}</p>}
      {isModern(client) && <RequestOptionsDisclosure server={server} />}
      <div className="insp-row insp-actions">
        <button type="button" className="primary" onClick={() => startRead(resource.uri)} disabled={read?.status === 'reading'}>
          Read
        </button>
        {canSubscribe && (
          <button type="button" onClick={() => void toggleSubscription()} disabled={busy}>
            {subscribed ? 'Unsubscribe' : 'Subscribe'}
          </button>
        )}
      </div>
      {subscriptionError && (
        <p className="form-error" role="alert">
          {subscriptionError}
        </p>
      )}
      <ReadOutcome server={server} read={read} />
    </article>
  );
}

interface TemplateDetailProps {
  server: string;
  client: Client;
  template: ResourceTemplate;
  canComplete: boolean;
  /** Focus its first variable (chosen in the command palette). */
  focusForm: boolean;
  onFormFocused(): void;
}

function TemplateDetail({ server, client, template, canComplete, focusForm, onFormFocused }: TemplateDetailProps) {
  const variables = templateVariables(template.uriTemplate);
  const [values, setValues] = useState<Record<string, string>>(() => Object.fromEntries(variables.map((name) => [name, ''])));
  const [read, startRead] = useResourceRead(server, client);
  const [attempted, setAttempted] = useState(false);
  const missing = missingVariables(template.uriTemplate, values);
  const uri = expandTemplate(template.uriTemplate, values);
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (!focusForm) return;
    focusFirstField(formRef.current);
    onFormFocused();
  }, [focusForm, onFormFocused]);

  return (
    <article className="insp-detail" aria-label={`Template ${template.name}`}>
      <header className="insp-detail-header">
        <h3>{template.title ?? template.name}</h3>
        {template.mimeType && <span className="tag">{template.mimeType}</span>}
      </header>
      <p className="mono">{template.uriTemplate}</p>
      {template.description && <p className="insp-description">{template.description}</p>}
      <form
        ref={formRef}
        className="insp-call-form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          setAttempted(true);
          if (missing.length === 0) startRead(uri);
        }}
      >
        <div className="sf-form" role="group" aria-label={`Variables of ${template.uriTemplate}`}>
          {variables.map((name) => (
            <ArgumentInput
              key={name}
              client={client}
              canComplete={canComplete}
              completionRef={{ type: 'ref/resource', uri: template.uriTemplate }}
              name={name}
              required
              value={values[name] ?? ''}
              values={values}
              onChange={(value) => setValues((current) => ({ ...current, [name]: value }))}
              error={attempted && missing.includes(name) ? 'Required' : undefined}
            />
          ))}
        </div>
        <p className="insp-uri-preview">
          URI: <span className="mono">{uri}</span>
        </p>
        {isModern(client) && <RequestOptionsDisclosure server={server} />}
        <div className="insp-row insp-actions">
          <button type="submit" className="primary" disabled={read?.status === 'reading'}>
            Read
          </button>
        </div>
      </form>
      <ReadOutcome server={server} read={read} />
    </article>
  );
}

/** The `notifications/resources/updated` that arrived, newest first, with their time. */
function ResourceUpdates({ server }: { server: string }) {
  const updates = useInspectorStore((state) => sessionOf(state, server).resourceUpdates);
  const subscriptions = useInspectorStore((state) => sessionOf(state, server).subscriptions);
  return (
    <section className="insp-updates" aria-label="Resource updates">
      <h3>
        Updates <span className="muted">({updates.length})</span>
      </h3>
      <p className="muted">{subscriptions.length === 0 ? 'Subscribe to a resource to hear when it changes.' : `Subscribed: ${subscriptions.join(', ')}`}</p>
      {updates.length > 0 && (
        <ol className="insp-update-list" role="log" aria-label={`Resource updates of ${server}`}>
          {[...updates].reverse().map((update) => (
            <li key={update.id}>
              <span className="mono muted">{formatClock(update.at)}</span> <span className="mono">{update.uri}</span> updated
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
