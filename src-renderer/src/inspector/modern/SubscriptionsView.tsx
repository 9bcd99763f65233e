import type { Client } from '@modelcontextprotocol/client';
import { useId, useState, type FormEvent } from 'react';
import { formatClock } from '../time-format';
import { subscriptionsOf, useModernStore, type SubscriptionRecord } from './modern-store';
import { closeSubscription, DEFAULT_CHOICE, describeFilter, filterFromChoice, openSubscription, refusedPart, type SubscriptionChoice } from './subscriptions';
import { tapOf } from './wire-tap';

/**
 * The Subscriptions tab (modern era): open a subscriptions/listen stream for the notification types chosen, see
 * what the server agreed to and every notification as it arrives, and stop it. The legacy era's equivalent is the
 * Resources tab's Subscribe and the list-change notifications every legacy session gets unasked.
 */
export function SubscriptionsView({ server, client }: { server: string; client: Client }) {
  const id = useId();
  const subscriptions = useModernStore((state) => subscriptionsOf(state, server));
  const [choice, setChoice] = useState<SubscriptionChoice>(DEFAULT_CHOICE);
  const [problem, setProblem] = useState<string>();
  const [opening, setOpening] = useState(false);

  const open = async (event: FormEvent) => {
    event.preventDefault();
    const outcome = filterFromChoice(choice);
    if ('error' in outcome) {
      setProblem(outcome.error);
      return;
    }
    setProblem(undefined);
    setOpening(true);
    try {
      await openSubscription(server, client, outcome.filter, tapOf(server, client));
    } finally {
      setOpening(false);
    }
  };
  const toggle = (key: 'toolsListChanged' | 'promptsListChanged' | 'resourcesListChanged') => setChoice({ ...choice, [key]: !choice[key] });

  return (
    <div className="modern-subscriptions">
      <form className="modern-listen-form" onSubmit={(event) => void open(event)} noValidate aria-label="New subscription">
        <fieldset>
          <legend>Listen for</legend>
          <label className="sf-check">
            <input type="checkbox" checked={choice.toolsListChanged} onChange={() => toggle('toolsListChanged')} /> Tool list changes
          </label>
          <label className="sf-check">
            <input type="checkbox" checked={choice.promptsListChanged} onChange={() => toggle('promptsListChanged')} /> Prompt list changes
          </label>
          <label className="sf-check">
            <input type="checkbox" checked={choice.resourcesListChanged} onChange={() => toggle('resourcesListChanged')} /> Resource list changes
          </label>
          <div className="sf-field">
            <label htmlFor={`${id}-uris`}>Updates of these resources (one URI per line)</label>
            <textarea id={`${id}-uris`} rows={2} spellCheck={false} value={choice.resourceUris} onChange={(event) => setChoice({ ...choice, resourceUris: event.target.value })} />
          </div>
        </fieldset>
        {problem && (
          <p className="form-error" role="alert">
            {problem}
          </p>
        )}
        <div className="insp-row insp-actions">
          <button type="submit" className="primary" disabled={opening}>
            Listen
          </button>
        </div>
      </form>
      {subscriptions.length === 0 ? (
        <p className="muted insp-empty">No subscription yet. Notifications outside a request reach a modern client only on a subscriptions/listen stream.</p>
      ) : (
        [...subscriptions].reverse().map((subscription) => <SubscriptionCard key={subscription.id} subscription={subscription} />)
      )}
    </div>
  );
}

function stateText(subscription: SubscriptionRecord): string {
  switch (subscription.state) {
    case 'opening':
      return 'Opening…';
    case 'open':
      return 'Listening';
    case 'failed':
      return `Failed: ${subscription.error ?? 'unknown error'}`;
    case 'closed':
      return subscription.closedBy === 'local' ? 'Stopped' : subscription.closedBy === 'graceful' ? 'Ended by the server' : 'The stream dropped';
  }
}

function SubscriptionCard({ subscription }: { subscription: SubscriptionRecord }) {
  const refused = refusedPart(subscription.requested, subscription.honored);
  return (
    <article className="request-card modern-subscription" aria-label={`Subscription ${subscription.id}`} data-testid="subscription" data-state={subscription.state}>
      <header className="request-card-header">
        <span className="badge badge-connecting">listen</span>
        <h3>{describeFilter(subscription.honored ?? subscription.requested)}</h3>
        <span className={subscription.state === 'failed' ? 'error-text' : 'muted'} role="status">
          {stateText(subscription)}
        </span>
        <button type="button" onClick={() => void closeSubscription(subscription.id)} disabled={subscription.state !== 'open'}>
          Stop
        </button>
      </header>
      <dl className="facts">
        <dt>Opened</dt>
        <dd>{formatClock(subscription.openedAt)}</dd>
        {subscription.listenId !== undefined && (
          <>
            <dt>Subscription id</dt>
            <dd className="mono">{String(subscription.listenId)}</dd>
          </>
        )}
        {refused && (
          <>
            <dt>Not agreed to</dt>
            <dd>{refused}</dd>
          </>
        )}
      </dl>
      <h4>Notifications ({subscription.notifications.length})</h4>
      {subscription.notifications.length === 0 ? (
        <p className="muted">None yet.</p>
      ) : (
        <ol className="modern-notifications" role="log" aria-label={`Notifications of subscription ${subscription.id}`}>
          {[...subscription.notifications].reverse().map((notification) => (
            <li key={notification.id}>
              <span className="mono muted">{formatClock(notification.at)}</span> <span className="mono">{notification.method}</span>
              {typeof notification.params?.uri === 'string' && <span className="mono"> {notification.params.uri}</span>}
            </li>
          ))}
        </ol>
      )}
    </article>
  );
}
