import { useId, useMemo, useState } from 'react';
import { useNow } from '../components/use-now';
import { Messages } from './ContentBlocks';
import { answerServerRequest, sessionOf, useInspectorStore, type PendingRequest, type SettledRequest } from './inspector-store';
import {
  defaultSamplingReply,
  describeOutcome,
  describeSamplingRequest,
  elicitationResult,
  elicitationSchema,
  initialElicitationDraft,
  samplingRejection,
  samplingResult,
  type SamplingReply,
} from './request-cards';
import { SchemaForm } from './schema-form/SchemaForm';
import type { SchemaError } from './schema-form/validate';
import { describePath } from './schema-form/build';
import { describeInputRequestOrigin, type InputRequestOrigin } from './modern/input-origin';
import { formatClock, formatWaited } from './time-format';

/** The Requests tab: what the server asked of the client (sampling, elicitation) and waits for, then what was answered. */
export function RequestsView({ server }: { server: string }) {
  const pending = useInspectorStore((state) => sessionOf(state, server).pending);
  const settled = useInspectorStore((state) => sessionOf(state, server).settled);
  return (
    <div className="insp-requests">
      {pending.length === 0 ? (
        <p className="muted insp-empty">No requests from the server are waiting. Sampling and elicitation requests appear here to be answered.</p>
      ) : (
        pending.map((request) =>
          request.kind === 'sampling' ? (
            <SamplingCard key={request.id} server={server} request={request} />
          ) : request.kind === 'elicitation' ? (
            <ElicitationCard key={request.id} server={server} request={request} />
          ) : null,
        )
      )}
      {settled.length > 0 && (
        <section className="insp-settled" aria-label="Answered requests">
          <h3>Answered</h3>
          <ol>
            {[...settled].reverse().map((entry) => (
              <SettledEntry key={entry.request.id} entry={entry} />
            ))}
          </ol>
        </section>
      )}
    </div>
  );
}

const KIND_LABELS: Record<PendingRequest['kind'], string> = { sampling: 'Sampling', elicitation: 'Elicitation', roots: 'Roots' };

function SettledEntry({ entry }: { entry: SettledRequest }) {
  return (
    <li>
      <span className="mono muted">{formatClock(entry.at)}</span> {KIND_LABELS[entry.request.kind]} #{entry.request.id}:{' '}
      <strong>{describeOutcome(entry.outcome)}</strong>
      {entry.request.via && <span className="muted"> · {describeInputRequestOrigin(entry.request.via)}</span>}
      {entry.detail && <span className="muted"> · {entry.detail}</span>}
    </li>
  );
}

/** Which request's round (or which task) asked, in the modern era. */
function Via({ via }: { via: InputRequestOrigin }) {
  return <p className="request-card-origin muted">{describeInputRequestOrigin(via)}</p>;
}

/** "waiting 12 s", ticking every second. */
function Waited({ since }: { since: number }) {
  const now = useNow(1000);
  return <span className="insp-waited">waiting {formatWaited(now - since)}</span>;
}

function SamplingCard({ server, request }: { server: string; request: Extract<PendingRequest, { kind: 'sampling' }> }) {
  const id = useId();
  const summary = useMemo(() => describeSamplingRequest(request.params), [request.params]);
  const [reply, setReply] = useState<SamplingReply>(() => defaultSamplingReply(request.params));
  const [problem, setProblem] = useState<string>();

  const approve = () => {
    const outcome = samplingResult(reply);
    if ('error' in outcome) {
      setProblem(outcome.error);
      return;
    }
    answerServerRequest(server, request.id, 'approved', { result: outcome.result, detail: `${outcome.result.model}: ${truncate(reply.text)}` });
  };

  return (
    <article className="request-card" aria-label={`Sampling request #${request.id}`} data-kind="sampling">
      <header className="request-card-header">
        <span className="badge badge-connecting">sampling</span>
        <h3>The server asks for an LLM completion</h3>
        <Waited since={request.receivedAt} />
      </header>
      {request.via && <Via via={request.via} />}
      {summary.systemPrompt && (
        <div className="request-card-section">
          <h4>System prompt</h4>
          <pre className="insp-pre">{summary.systemPrompt}</pre>
        </div>
      )}
      <div className="request-card-section">
        <h4>Messages</h4>
        <Messages messages={summary.messages} />
      </div>
      <dl className="facts request-card-details">
        {summary.details.map(([label, value]) => (
          <div key={label} className="facts-row">
            <dt>{label}</dt>
            <dd className="mono">{value}</dd>
          </div>
        ))}
      </dl>
      <form
        className="request-card-section"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          approve();
        }}
      >
        <h4>Reply</h4>
        <div className="request-reply-meta">
          <div className="sf-field">
            <label htmlFor={`${id}-model`}>Model</label>
            <input id={`${id}-model`} value={reply.model} onChange={(event) => setReply({ ...reply, model: event.target.value })} />
          </div>
          <div className="sf-field">
            <label htmlFor={`${id}-role`}>Role</label>
            <select id={`${id}-role`} className="sf-select" value={reply.role} onChange={(event) => setReply({ ...reply, role: event.target.value as SamplingReply['role'] })}>
              <option value="assistant">assistant</option>
              <option value="user">user</option>
            </select>
          </div>
        </div>
        <div className="sf-field">
          <label htmlFor={`${id}-text`}>Text</label>
          <textarea id={`${id}-text`} rows={3} value={reply.text} onChange={(event) => setReply({ ...reply, text: event.target.value })} />
        </div>
        {problem && (
          <p className="form-error" role="alert">
            {problem}
          </p>
        )}
        <div className="insp-row insp-actions">
          <button type="submit" className="primary">
            Approve
          </button>
          <button type="button" className="danger" onClick={() => answerServerRequest(server, request.id, 'declined', { error: samplingRejection(), detail: 'User rejected sampling request' })}>
            Decline
          </button>
        </div>
      </form>
    </article>
  );
}

function ElicitationCard({ server, request }: { server: string; request: Extract<PendingRequest, { kind: 'elicitation' }> }) {
  const schema = elicitationSchema(request.params);
  const [draft, setDraft] = useState<unknown>(() => initialElicitationDraft(request.params));
  const [errors, setErrors] = useState<SchemaError[]>();
  const url = 'url' in request.params ? request.params.url : undefined;

  const accept = () => {
    const outcome = elicitationResult('accept', request.params, draft);
    if ('errors' in outcome) {
      setErrors(outcome.errors);
      return;
    }
    answerServerRequest(server, request.id, 'accepted', { result: outcome.result, detail: outcome.result.content ? JSON.stringify(outcome.result.content) : undefined });
  };
  const answer = (action: 'decline' | 'cancel') => {
    answerServerRequest(server, request.id, action === 'decline' ? 'declined' : 'cancelled', { result: { action } });
  };

  return (
    <article className="request-card" aria-label={`Elicitation request #${request.id}`} data-kind="elicitation">
      <header className="request-card-header">
        <span className="badge badge-connecting">elicitation</span>
        <h3>{url === undefined ? 'The server asks the user for input' : 'The server asks the user to open a page'}</h3>
        <Waited since={request.receivedAt} />
      </header>
      {request.via && <Via via={request.via} />}
      <p className="request-message">{request.params.message}</p>
      {url !== undefined && <UrlTarget url={url} />}
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          accept();
        }}
      >
        {schema && <SchemaForm schema={schema} value={draft} onChange={setDraft} errors={errors ? errors : undefined} label="Requested input" />}
        {errors && errors.length > 0 && (
          <ul className="insp-errors" role="alert">
            {errors.map((error, index) => (
              <li key={index}>
                {describePath(error.path, 'content')}: {error.message}
              </li>
            ))}
          </ul>
        )}
        <div className="insp-row insp-actions">
          <button type="submit" className="primary">
            Accept
          </button>
          <button type="button" className="danger" onClick={() => answer('decline')}>
            Decline
          </button>
          <button type="button" onClick={() => answer('cancel')}>
            Cancel
          </button>
        </div>
      </form>
    </article>
  );
}

function truncate(text: string, max = 60): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * A URL-mode elicitation's page: its host first (what the user consents to), the whole address, and Open. Accepting
 * only tells the server the user agreed to go there; what happens on the page never passes through Patchbay.
 */
function UrlTarget({ url }: { url: string }) {
  let host: string | undefined;
  try {
    const parsed = new URL(url);
    host = parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.host : undefined;
  } catch {
    host = undefined;
  }
  return (
    <div className="request-card-section request-card-url" data-testid="elicitation-url">
      {host ? (
        <p>
          Page on <strong>{host}</strong>:
        </p>
      ) : (
        <p className="error-text">Not a web address Patchbay can open:</p>
      )}
      <span className="mono">{url}</span>
      {host && (
        <a href={url} target="_blank" rel="noreferrer noopener">
          Open page
        </a>
      )}
      <p className="muted">Accept tells the server you agree to go there; what you do on the page does not pass through Patchbay.</p>
    </div>
  );
}
