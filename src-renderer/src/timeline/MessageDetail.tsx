import { useMemo } from 'react';
import { copyWithNotice } from '../notifications/notification-store';
import { describeGroup, type RequestGroup } from './request-groups';
import { eraOf, requestStatus, type TimelineEntry } from './timeline-entry';
import { directionLabel, formatClock, formatDuration, formatSize } from './timeline-format';

interface MessageDetailProps {
  entry: TimelineEntry;
  onSelect(entry: TimelineEntry): void;
  onClose(): void;
}

/** Related messages listed in the panel; a long-running call may have thousands of progress notifications. */
const RELATED_LISTED = 50;

/** A message's JSON, pretty-printed, or why there is none. */
function prettyBody(entry: TimelineEntry): string | undefined {
  if (entry.event.body === undefined) return undefined;
  try {
    return JSON.stringify(entry.event.body, null, 2);
  } catch {
    return String(entry.event.body);
  }
}

/** What a request's Status (or a response's Duration) fact says, in words. */
function statusText(entry: TimelineEntry): string {
  const time = entry.durationMs === undefined ? '' : formatDuration(entry.durationMs);
  if (entry.event.kind === 'response') {
    const suffix = entry.toolError ? ' (tool error: isError)' : entry.isError ? ' (error)' : '';
    return `${time}${suffix}`.trim() || 'yes';
  }
  const { outcome } = entry;
  if (outcome?.kind === 'cancelled') return `Cancelled at ${formatClock(outcome.at)}${outcome.reason ? `: ${outcome.reason}` : ''}`;
  if (outcome?.kind === 'session-ended') return `Failed at ${formatClock(outcome.at)}: ${outcome.reason}`;
  switch (requestStatus(entry)) {
    case 'pending':
      return 'Pending';
    case 'tool-error':
      return `Tool error (isError) after ${time || 'an answer'}`;
    case 'error':
      return `Error after ${time || 'an answer'}`;
    default:
      return `OK after ${time || 'an answer'}`;
  }
}

/** A short name for a message in the panel's links: "tools/call #3 (request)". */
function describe(entry: TimelineEntry): string {
  const id = entry.event.id === undefined ? '' : ` #${entry.event.id}`;
  return `${entry.method ?? 'unknown'}${id} (${entry.event.kind})`;
}

/**
 * The side panel for the selected message: what the timeline knows of it (time, server, duration, its request,
 * response and related messages as links), and its JSON, pretty-printed and copyable.
 */
export function MessageDetail({ entry, onSelect, onClose }: MessageDetailProps) {
  const { event } = entry;
  const json = useMemo(() => prettyBody(entry), [entry]);
  const copy = async () => {
    if (json !== undefined) await copyWithNotice(json, `the JSON of ${entry.method ?? 'the message'}`);
  };

  const links: { label: string; target: TimelineEntry }[] = [];
  if (entry.request) links.push({ label: 'Request', target: entry.request });
  if (entry.response) links.push({ label: 'Response', target: entry.response });
  if (entry.parent && entry.parent !== entry.request) links.push({ label: 'Belongs to', target: entry.parent });
  const related = entry.related ?? [];
  const era = eraOf(event);

  return (
    <section
      id="timeline-detail"
      className="tl-detail"
      aria-label="Message details"
      data-testid="timeline-detail"
      onKeyDown={(event) => {
        if (event.key === 'Escape') onClose();
      }}
    >
      <div className="tl-detail-head">
        <h2 className="tl-detail-title">
          <span className="mono">{entry.method ?? '(unknown request)'}</span> <span className="muted">{event.kind}</span>
        </h2>
        <button type="button" onClick={() => void copy()} disabled={json === undefined}>
          Copy JSON
        </button>
        <button type="button" onClick={onClose} aria-label="Close message details">
          ✕
        </button>
      </div>
      <dl className="facts tl-facts">
        <dt>Direction</dt>
        <dd>{directionLabel(event.direction)}</dd>
        <dt>Time</dt>
        <dd title={new Date(event.at).toISOString()}>{formatClock(event.at)}</dd>
        <dt>Server</dt>
        <dd>{event.server}</dd>
        <dt>Session</dt>
        <dd className="mono">{event.sessionId}</dd>
        {event.id !== undefined && (
          <>
            <dt>ID</dt>
            <dd className="mono">{JSON.stringify(event.id)}</dd>
          </>
        )}
        {era && (
          <>
            <dt>Era</dt>
            <dd>{era}</dd>
          </>
        )}
        <dt>Size</dt>
        <dd>{formatSize(event.size)}</dd>
        {event.kind !== 'notification' && (
          <>
            <dt>{event.kind === 'request' ? 'Status' : 'Duration'}</dt>
            <dd className={entry.isError ? 'tl-error' : undefined} data-testid="timeline-status">
              {statusText(entry)}
            </dd>
          </>
        )}
        {links.map((link) => (
          <FactLink key={link.label} label={link.label} target={link.target} onSelect={onSelect} />
        ))}
      </dl>
      {entry.group && <GroupSection group={entry.group} current={entry} onSelect={onSelect} />}
      {related.length > 0 && (
        <div className="tl-related">
          <h3>Related messages ({related.length})</h3>
          <ul>
            {related.slice(0, RELATED_LISTED).map((member) => (
              <li key={member.ordinal}>
                <button type="button" className="tl-link" onClick={() => onSelect(member)}>
                  {formatClock(member.event.at)} {describe(member)}
                </button>
              </li>
            ))}
          </ul>
          {related.length > RELATED_LISTED && <p className="muted">and {related.length - RELATED_LISTED} more</p>}
        </div>
      )}
      {json === undefined ? (
        <p className="tl-truncated">
          {event.truncated
            ? `The body was not kept: at ${formatSize(event.size)} it was over the proxy's event size cap.`
            : 'This message has no body.'}
        </p>
      ) : (
        <pre className="tl-json" tabIndex={0} aria-label="Message JSON" data-testid="timeline-json">
          {json}
        </pre>
      )}
    </section>
  );
}

function FactLink({ label, target, onSelect }: { label: string; target: TimelineEntry; onSelect(entry: TimelineEntry): void }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>
        <button type="button" className="tl-link" onClick={() => onSelect(target)}>
          {describe(target)} at {formatClock(target.event.at)}
        </button>
      </dd>
    </>
  );
}

/** How a request answered by a round's own duration: "answered in 12 ms", "input required in 8 ms", "pending". */
function roundOutcome(round: TimelineEntry): string {
  if (!round.response) return requestStatus(round) === 'pending' ? 'pending' : statusText(round);
  const result = (round.response.event.body as { result?: { resultType?: unknown; status?: unknown } } | undefined)?.result;
  const time = round.durationMs === undefined ? '' : ` in ${formatDuration(round.durationMs)}`;
  if (result?.resultType === 'input_required') return `input required${time}`;
  if (result?.resultType === 'task') return `task created${time}`;
  if (typeof result?.status === 'string') return `${result.status}${time}`;
  return `${round.isError ? 'error' : 'answered'}${time}`;
}

/** The multi round-trip request or task the message is part of: its summary, every round and every task request. */
function GroupSection({ group, current, onSelect }: { group: RequestGroup; current: TimelineEntry; onSelect(entry: TimelineEntry): void }) {
  const listed = (members: TimelineEntry[], label: (member: TimelineEntry, index: number) => string) => (
    <ol>
      {members.slice(0, RELATED_LISTED).map((member, index) => (
        <li key={member.ordinal}>
          <button type="button" className="tl-link" onClick={() => onSelect(member)} aria-current={member === current || member.response === current ? 'true' : undefined}>
            {label(member, index)}
          </button>
        </li>
      ))}
    </ol>
  );
  return (
    <div className="tl-related tl-group" data-testid="timeline-group-detail">
      <h3>{group.taskId === undefined ? 'Multi round-trip request' : 'Task'}: {describeGroup(group, formatDuration)}</h3>
      {group.taskId !== undefined && <p className="mono muted">{group.taskId}</p>}
      <h4>Rounds ({group.rounds.length})</h4>
      {listed(group.rounds, (round, index) => `Round ${index + 1}: ${formatClock(round.event.at)} ${describe(round)}, ${roundOutcome(round)}`)}
      {group.polls.length > 0 && (
        <>
          <h4>Task requests ({group.polls.length})</h4>
          {listed(group.polls, (poll) => `${formatClock(poll.event.at)} ${describe(poll)}, ${roundOutcome(poll)}`)}
          {group.polls.length > RELATED_LISTED && <p className="muted">and {group.polls.length - RELATED_LISTED} more</p>}
        </>
      )}
    </div>
  );
}
