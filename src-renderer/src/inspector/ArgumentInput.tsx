import type { Client } from '@modelcontextprotocol/client';
import { useId, useMemo } from 'react';
import { useCompletions, type CompletionRef } from './use-completions';

interface ArgumentInputProps {
  client: Client;
  /** Whether the server has the completions capability. */
  canComplete: boolean;
  completionRef: CompletionRef;
  name: string;
  required: boolean;
  description?: string;
  value: string;
  onChange(value: string): void;
  /** Every argument's value, for the completion context. */
  values: Readonly<Record<string, string>>;
  error?: string;
}

/** How many suggestions are offered as buttons under the input (the datalist has them all). */
const SHOWN_SUGGESTIONS = 8;

/**
 * A text argument of a prompt or a resource template, with the server's completions as a datalist and as buttons
 * under it (the datalist alone is easy to miss).
 */
export function ArgumentInput({ client, canComplete, completionRef, name, required, description, value, onChange, values, error }: ArgumentInputProps) {
  const id = useId();
  const context = useMemo(() => Object.fromEntries(Object.entries(values).filter(([key, other]) => key !== name && other !== '')), [values, name]);
  const suggestions = useCompletions(client, canComplete, completionRef, name, value, context);
  const offered = suggestions.filter((suggestion) => suggestion !== value);
  return (
    <div className="sf-field">
      <div className="sf-label-row">
        <label htmlFor={id}>
          <span className="sf-name">{name}</span>
        </label>
        {required && (
          <span className="sf-required" aria-hidden="true" title="required">
            *
          </span>
        )}
      </div>
      <input
        id={id}
        type="text"
        value={value}
        list={suggestions.length > 0 ? `${id}-suggestions` : undefined}
        autoComplete="off"
        aria-required={required || undefined}
        aria-invalid={error ? true : undefined}
        aria-describedby={description ? `${id}-hint` : undefined}
        onChange={(event) => onChange(event.target.value)}
      />
      <datalist id={`${id}-suggestions`}>
        {suggestions.map((suggestion) => (
          <option key={suggestion} value={suggestion} />
        ))}
      </datalist>
      {description && (
        <p className="sf-hint" id={`${id}-hint`}>
          {description}
        </p>
      )}
      {offered.length > 0 && (
        <div className="insp-suggestions" role="group" aria-label={`Suggestions for ${name}`}>
          {offered.slice(0, SHOWN_SUGGESTIONS).map((suggestion) => (
            <button key={suggestion} type="button" className="insp-chip" onClick={() => onChange(suggestion)}>
              {suggestion}
            </button>
          ))}
          {offered.length > SHOWN_SUGGESTIONS && <span className="muted">+{offered.length - SHOWN_SUGGESTIONS} more</span>}
        </div>
      )}
      {error && <p className="sf-error">{error}</p>}
    </div>
  );
}
