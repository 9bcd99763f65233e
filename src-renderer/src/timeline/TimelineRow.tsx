import { memo, type MouseEvent } from 'react';
import { isFromApp } from '../../../src-shared/apps';
import { describeGroup, hasMembers, memberLabel, type RequestGroup } from './request-groups';
import { eraOf, notDelivered, type RequestStatus, type TimelineEntry } from './timeline-entry';
import { directionArrow, directionLabel, formatClock, formatDuration, formatSize, kindLabel } from './timeline-format';

interface TimelineRowProps {
  entry: TimelineEntry;
  /** Position in the shown list (0-based). */
  index: number;
  top: number;
  selected: boolean;
  /** Belongs with the selected message (its request, response or related messages). */
  related: boolean;
  /** The one row reached by Tab. */
  tabbable: boolean;
  /** Re-render when the entry changed in place (a request answered, cancelled or ended with its session). */
  status: RequestStatus | undefined;
  /** Re-render when the group the entry belongs to changed (a round, a poll, expanded or collapsed). */
  groupVersion: number | undefined;
  onPick(entry: TimelineEntry): void;
  onToggleGroup(group: RequestGroup): void;
}

/**
 * What the duration cell says: a request's time once answered, "pending" before, "cancelled" with the time it was,
 * "failed" when its session ended first (the reason in its title); a response's own time.
 */
function durationText(entry: TimelineEntry): { text: string; title?: string; tone?: 'error' | 'muted' } {
  const { kind } = entry.event;
  if (kind === 'notification') return { text: '' };
  if (kind === 'request') {
    const { outcome } = entry;
    if (outcome?.kind === 'cancelled') {
      return { text: `cancelled ${formatClock(outcome.at)}`, title: outcome.reason ? `cancelled: ${outcome.reason}` : 'cancelled', tone: 'muted' };
    }
    if (outcome?.kind === 'session-ended') return { text: '✕ failed', title: `failed: ${outcome.reason}`, tone: 'error' };
    if (!entry.response) return notDelivered(entry.event.injected) ? { text: 'not sent', title: `injected ${entry.event.injected}: never reached the server`, tone: 'error' } : { text: 'pending', tone: 'muted' };
    const time = entry.durationMs === undefined ? 'answered' : formatDuration(entry.durationMs);
    if (entry.toolError) return { text: `✕ ${time}`, title: 'the tool reported an error (isError)', tone: 'error' };
    return entry.isError ? { text: `✕ ${time}`, title: 'answered with an error', tone: 'error' } : { text: time };
  }
  const time = entry.durationMs === undefined ? '' : formatDuration(entry.durationMs);
  if (entry.toolError) return { text: `tool error ${time}`.trim(), title: 'the tool reported an error (isError)', tone: 'error' };
  return entry.isError ? { text: `error ${time}`.trim(), tone: 'error' } : { text: time, tone: 'muted' };
}

/** What a row's injected mark says on hover: the fault's own sentence, or what it did to the message. */
function injectedTitle(entry: TimelineEntry): string {
  if (entry.fault) return entry.fault.detail;
  switch (entry.event.injected) {
    case 'drop':
      return 'injected drop: the proxy did not pass this message on (it was not delivered)';
    case 'corrupt':
      return 'injected corrupt: the client got this message as invalid JSON';
    case 'close-stream':
      return "injected close-stream: the client's stream was cut in the middle of this message";
    case 'duplicate':
      return 'injected duplicate: a second copy of the response, sent to the client';
    case 'error':
      return entry.event.direction === 'server-to-client' ? "injected error: the proxy's own answer; the server never saw the request" : 'injected error: not sent to the server; the proxy answered it';
    case 'delay':
      return 'injected delay: held by the proxy before it went on';
    default:
      return `injected ${String(entry.event.injected)}`;
  }
}

/** One message in the timeline grid; absolutely placed by the virtual list. */
export const TimelineRow = memo(function TimelineRow({ entry, index, top, selected, related, tabbable, onPick, onToggleGroup }: TimelineRowProps) {
  const { event } = entry;
  const parentId = entry.parent?.event.id;
  const duration = durationText(entry);
  const era = eraOf(event);
  // The request that started a multi round-trip request or task carries its summary and the toggle for the rest.
  const group = entry.group;
  const leadsGroup = group !== undefined && group.root === entry;
  const expandable = leadsGroup && hasMembers(group);
  const member = memberLabel(entry);
  const toggle = (click: MouseEvent) => {
    click.stopPropagation();
    if (group) onToggleGroup(group);
  };
  const classes = ['tl-row', selected && 'is-selected', related && !selected && 'is-related', entry.isError && 'is-error', (entry.parent || member) && 'is-child']
    .filter(Boolean)
    .join(' ');
  return (
    <div
      role="row"
      className={classes}
      style={{ transform: `translateY(${top}px)` }}
      aria-rowindex={index + 2}
      aria-selected={selected}
      tabIndex={tabbable ? 0 : -1}
      aria-expanded={expandable ? group.expanded : undefined}
      data-ordinal={entry.ordinal}
      data-testid="timeline-row"
      onClick={() => onPick(entry)}
    >
      <span role="gridcell" className={`tl-dir tl-${event.direction}`} aria-label={directionLabel(event.direction)} title={directionLabel(event.direction)}>
        {directionArrow(event.direction)}
      </span>
      <span role="gridcell" className="tl-time">
        {formatClock(event.at)}
      </span>
      <span role="gridcell" className="tl-server" title={event.server}>
        {event.server}
      </span>
      <span role="gridcell" className={`tl-kind tl-kind-${entry.fault ? 'fault' : event.kind}`}>
        {entry.fault ? 'fault' : kindLabel(event.kind)}
      </span>
      <span role="gridcell" className="tl-method" title={entry.method}>
        {expandable && (
          // Not a tab stop of its own: the row is, and ArrowRight/ArrowLeft expand and collapse it.
          <button
            type="button"
            className="tl-group-toggle"
            tabIndex={-1}
            aria-label={group.expanded ? 'Collapse rounds' : 'Expand rounds'}
            title={group.expanded ? 'Hide the later rounds and task polls (←)' : 'Show the later rounds and task polls (→)'}
            onClick={toggle}
          >
            {group.expanded ? '▾' : '▸'}
          </button>
        )}
        {(entry.parent || member) && (
          <span className="tl-child-mark" aria-hidden="true">
            ↳
          </span>
        )}
        <span className="tl-method-name">{entry.method ?? <span className="muted">(unknown request)</span>}</span>
        {leadsGroup && (
          <span className={`tl-tag tl-group-tag tl-group-${group.state}`} data-testid="timeline-group">
            {describeGroup(group, formatDuration)}
          </span>
        )}
        {member && (
          <span className="tl-tag" title={`part of ${group?.root.event.method ?? 'a request'} #${String(group?.root.event.id ?? '')}`}>
            {member}
          </span>
        )}
        {parentId !== undefined && (
          <span className="tl-tag" title={`belongs to request ${parentId}`}>
            #{parentId}
          </span>
        )}
        {event.injected !== undefined && (
          <span className="tl-tag tl-injected" data-testid="timeline-injected" title={injectedTitle(entry)}>
            <span aria-hidden="true">⚡ </span>injected: {event.injected}
          </span>
        )}
        {(isFromApp(event.body) || (entry.request !== undefined && isFromApp(entry.request.event.body))) && (
          <span className="tl-tag tl-from-app" data-testid="timeline-from-app" title="sent by an MCP App through its bridge">
            from app
          </span>
        )}
        {era === 'modern' && (
          <span className="tl-tag tl-era" title="spoken in the modern (2026-07-28) protocol era">
            modern
          </span>
        )}
      </span>
      <span role="gridcell" className="tl-id" title={event.id === undefined ? undefined : String(event.id)}>
        {event.id ?? ''}
      </span>
      <span role="gridcell" className="tl-size" title={event.truncated ? 'body over the event cap, not kept' : undefined}>
        {formatSize(event.size)}
        {event.truncated ? '*' : ''}
      </span>
      <span role="gridcell" className={`tl-duration${duration.tone ? ` tl-${duration.tone}` : ''}`} title={duration.title}>
        {duration.text}
      </span>
    </div>
  );
});
