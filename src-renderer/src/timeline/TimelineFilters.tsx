import { useEffect, useId, useState } from 'react';
import type { MessageDirection } from '../../../src-shared/events';
import type { TimelineFilter } from './timeline-filter';
import { formatCount } from './timeline-format';
import { DEFAULT_BYTE_BUDGET, MAX_CAP, MIN_CAP } from './timeline-store';

interface TimelineFiltersProps {
  filter: TimelineFilter;
  servers: string[];
  methods: string[];
  shownCount: number;
  total: number;
  dropped: number;
  cap: number;
  following: boolean;
  onFilter(change: Partial<TimelineFilter>): void;
  onCap(cap: number): void;
  onFollow(): void;
  onClear(): void;
  onExport(): void;
}

/** The options of a select: the known values, plus the chosen one even if it is no longer among them (after Clear). */
function withChosen(values: string[], chosen: string): string[] {
  return chosen && !values.includes(chosen) ? [chosen, ...values] : values;
}

/**
 * The timeline's toolbar: filters by server, method, direction, errors and free text; how many messages are shown,
 * kept and dropped; the cap; follow, clear and export. Every control is reachable by Tab and has a label.
 */
export function TimelineFilters(props: TimelineFiltersProps) {
  const { filter, servers, methods, shownCount, total, dropped, cap, following, onFilter, onCap, onFollow, onClear, onExport } = props;
  const id = useId();
  const [capText, setCapText] = useState(String(cap));
  const capNumber = Number(capText);
  const capValid = Number.isInteger(capNumber) && capNumber >= MIN_CAP && capNumber <= MAX_CAP;
  useEffect(() => setCapText(String(cap)), [cap]);

  const applyCap = () => {
    if (capValid && capNumber !== cap) onCap(capNumber);
  };

  return (
    <div className="tl-toolbar" role="group" aria-label="Timeline filters and actions">
      <div className="tl-filters">
        <div className="tl-field">
          <label htmlFor={`${id}-server`}>Server</label>
          <select id={`${id}-server`} value={filter.server} onChange={(event) => onFilter({ server: event.target.value })}>
            <option value="">All servers</option>
            {withChosen(servers, filter.server).map((server) => (
              <option key={server} value={server}>
                {server}
              </option>
            ))}
          </select>
        </div>
        <div className="tl-field">
          <label htmlFor={`${id}-method`}>Method</label>
          <select id={`${id}-method`} value={filter.method} onChange={(event) => onFilter({ method: event.target.value })}>
            <option value="">All methods</option>
            {withChosen(methods, filter.method).map((method) => (
              <option key={method} value={method}>
                {method}
              </option>
            ))}
          </select>
        </div>
        <div className="tl-field">
          <label htmlFor={`${id}-direction`}>Direction</label>
          <select id={`${id}-direction`} value={filter.direction} onChange={(event) => onFilter({ direction: event.target.value as MessageDirection | '' })}>
            <option value="">Both</option>
            <option value="client-to-server">→ client to server</option>
            <option value="server-to-client">← server to client</option>
          </select>
        </div>
        <label className="tl-check">
          <input type="checkbox" checked={filter.errorsOnly} onChange={(event) => onFilter({ errorsOnly: event.target.checked })} />
          Errors only
        </label>
        <label className="tl-check" title="Only what a fault plan did on purpose: the messages it dropped, delayed, duplicated, corrupted, cut or answered, and its kills and stalls">
          <input type="checkbox" checked={filter.injectedOnly} onChange={(event) => onFilter({ injectedOnly: event.target.checked })} />
          Injected faults only
        </label>
        <div className="tl-field tl-search">
          <label htmlFor={`${id}-search`}>Search</label>
          <input
            id={`${id}-search`}
            type="search"
            placeholder="method, id or JSON body"
            value={filter.text}
            spellCheck={false}
            onChange={(event) => onFilter({ text: event.target.value })}
          />
        </div>
      </div>

      <div className="tl-side">
        <p className="tl-counts" data-testid="timeline-counts">
          <span data-testid="timeline-shown">{formatCount(shownCount)}</span> of {formatCount(total)} shown
          {dropped > 0 && (
            <span className="tl-dropped" data-testid="timeline-dropped" title={`the oldest messages, dropped to stay within the cap (and within ${DEFAULT_BYTE_BUDGET / (1024 * 1024)} MiB of message text)`}>
              {' '}
              · {formatCount(dropped)} dropped
            </span>
          )}
        </p>
        <div className="tl-field tl-cap">
          <label htmlFor={`${id}-cap`}>Keep last</label>
          <input
            id={`${id}-cap`}
            type="number"
            min={MIN_CAP}
            max={MAX_CAP}
            step={1000}
            value={capText}
            aria-invalid={!capValid}
            aria-describedby={`${id}-cap-hint`}
            title={`${formatCount(MIN_CAP)} to ${formatCount(MAX_CAP)} messages`}
            onChange={(event) => setCapText(event.target.value)}
            onBlur={applyCap}
            onKeyDown={(event) => {
              if (event.key === 'Enter') applyCap();
            }}
          />
          <span id={`${id}-cap-hint`} className="tl-hint">
            messages ({formatCount(MIN_CAP)}–{formatCount(MAX_CAP)})
          </span>
        </div>
        <div className="tl-actions">
          <button type="button" aria-pressed={following} onClick={onFollow} title={following ? 'Following new messages' : 'Scroll to the newest and follow'}>
            <span className="tl-follow-dot" aria-hidden="true" />
            Follow
          </button>
          <button type="button" onClick={onClear} disabled={total === 0 && dropped === 0}>
            Clear
          </button>
          <button type="button" onClick={onExport} disabled={shownCount === 0}>
            Export JSON
          </button>
        </div>
      </div>
    </div>
  );
}
