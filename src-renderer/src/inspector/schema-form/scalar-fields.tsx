import { useEffect, useId, useRef, useState } from 'react';
import { FieldLabel, LabelText, useFieldNotes } from './field-chrome';
import type { ModelProps } from './field-props';
import { formatJsonInput, optionIndex, parseJsonInput, parseNumberInput, toggleOption } from './form-model';
import { deepEqual, displayValue } from './json-schema';

// The fields that hold one value: text, numbers, booleans, choices, fixed values and raw JSON.

export function StringField({ model, value, onChange, path, name, required, errors }: ModelProps<'string'>) {
  const id = useId();
  const own = errors.get(path);
  const { ids, notes } = useFieldNotes(model, own);
  const text = typeof value === 'string' ? value : value === undefined || value === null ? '' : displayValue(value);
  const common = {
    id,
    value: text,
    'aria-required': required || undefined,
    'aria-invalid': own ? true : undefined,
    'aria-describedby': ids,
    'aria-label': name ? undefined : 'value',
    placeholder: model.defaultValue !== undefined ? displayValue(model.defaultValue) : model.format === 'date' ? 'YYYY-MM-DD' : undefined,
  };
  return (
    <div className="sf-field">
      {name && <FieldLabel htmlFor={id} name={name} required={required} model={model} />}
      {model.multiline ? (
        <textarea {...common} rows={3} onChange={(event) => onChange(event.target.value)} />
      ) : (
        <input {...common} type={model.format === 'email' ? 'email' : 'text'} onChange={(event) => onChange(event.target.value)} />
      )}
      {notes}
    </div>
  );
}

/**
 * Keeps an input's text while the user types, and takes the value from outside when it changes for another
 * reason (a reset, a variant switch). `parse` turns text into the value.
 */
function useTextFor(value: unknown, format: (value: unknown) => string, parse: (text: string) => unknown): [string, (text: string) => unknown] {
  const [text, setText] = useState(() => format(value));
  const emitted = useRef<unknown>(value);
  useEffect(() => {
    if (!deepEqual(emitted.current, value)) {
      emitted.current = value;
      setText(format(value));
    }
  }, [value, format]);
  const update = (next: string) => {
    setText(next);
    const parsed = parse(next);
    emitted.current = parsed;
    return parsed;
  };
  return [text, update];
}

const formatNumber = (value: unknown) => (value === undefined || value === null ? '' : String(value));

export function NumberField({ model, value, onChange, path, name, required, errors }: ModelProps<'number'>) {
  const id = useId();
  const own = errors.get(path);
  const { ids, notes } = useFieldNotes(model, own);
  const [text, update] = useTextFor(value, formatNumber, parseNumberInput);
  return (
    <div className="sf-field">
      {name && <FieldLabel htmlFor={id} name={name} required={required} model={model} />}
      <input
        id={id}
        type="text"
        inputMode={model.integer ? 'numeric' : 'decimal'}
        className="sf-number"
        value={text}
        aria-label={name ? undefined : 'value'}
        aria-required={required || undefined}
        aria-invalid={own ? true : undefined}
        aria-describedby={ids}
        placeholder={model.defaultValue !== undefined ? displayValue(model.defaultValue) : undefined}
        onChange={(event) => onChange(update(event.target.value))}
      />
      {notes}
    </div>
  );
}

export function BooleanField({ model, value, onChange, path, name, required, errors }: ModelProps<'boolean'>) {
  const id = useId();
  const own = errors.get(path);
  const { ids, notes } = useFieldNotes(model, own);
  const label = name ?? 'value';
  // A checkbox cannot say "not set": optional booleans without a default get a three-way select.
  if (!required && model.defaultValue === undefined) {
    return (
      <div className="sf-field">
        <FieldLabel htmlFor={id} name={label} required={false} model={model} />
        <select
          id={id}
          className="sf-select"
          value={value === true ? 'true' : value === false ? 'false' : ''}
          aria-invalid={own ? true : undefined}
          aria-describedby={ids}
          onChange={(event) => onChange(event.target.value === '' ? undefined : event.target.value === 'true')}
        >
          <option value="">—</option>
          <option value="true">true</option>
          <option value="false">false</option>
        </select>
        {notes}
      </div>
    );
  }
  return (
    <div className="sf-field">
      <FieldLabel htmlFor={id} name={label} required={required} model={model}>
        <input id={id} type="checkbox" checked={value === true} aria-invalid={own ? true : undefined} aria-describedby={ids} onChange={(event) => onChange(event.target.checked)} />
      </FieldLabel>
      {notes}
    </div>
  );
}

export function EnumField({ model, value, onChange, path, name, required, errors }: ModelProps<'enum'>) {
  const id = useId();
  const own = errors.get(path);
  const { ids, notes } = useFieldNotes(model, own);
  const index = optionIndex(model.options, value);
  return (
    <div className="sf-field">
      {name && <FieldLabel htmlFor={id} name={name} required={required} model={model} />}
      <select
        id={id}
        className="sf-select"
        value={index === -1 ? '' : String(index)}
        aria-label={name ? undefined : 'value'}
        aria-required={required || undefined}
        aria-invalid={own ? true : undefined}
        aria-describedby={ids}
        onChange={(event) => onChange(event.target.value === '' ? undefined : model.options[Number(event.target.value)]?.value)}
      >
        <option value="">{required ? 'Choose…' : '—'}</option>
        {model.options.map((option, position) => (
          <option key={position} value={String(position)}>
            {option.label}
          </option>
        ))}
      </select>
      {notes}
    </div>
  );
}

export function MultiEnumField({ model, value, onChange, path, name, required, errors }: ModelProps<'multi-enum'>) {
  const own = errors.get(path);
  const { ids, notes } = useFieldNotes(model, own);
  const selected = Array.isArray(value) ? value : [];
  return (
    <fieldset className="sf-group sf-checks" aria-describedby={ids}>
      <legend>
        <LabelText name={name ?? 'values'} required={required} model={model} />
      </legend>
      {model.options.map((option, position) => (
        <label key={position} className="sf-check">
          <input
            type="checkbox"
            checked={selected.some((item) => deepEqual(item, option.value))}
            onChange={(event) => onChange(toggleOption(value, model.options, option, event.target.checked))}
          />
          {option.label}
        </label>
      ))}
      {notes}
    </fieldset>
  );
}

export function ConstField({ model, name }: ModelProps<'const'>) {
  // The value itself is set by the starting value or a variant switch; the field only shows it.
  return (
    <div className="sf-field sf-const">
      {name && (
        <span className="sf-label-text">
          <span className="sf-name">{name}</span>
        </span>
      )}
      <code>{JSON.stringify(model.value)}</code>
      <span className="sf-hint">fixed</span>
    </div>
  );
}

export function JsonField({ model, value, onChange, path, name, required, errors }: ModelProps<'json'>) {
  const id = useId();
  const own = errors.get(path);
  const { ids, notes } = useFieldNotes(model, own);
  const [text, update] = useTextFor(value, formatJsonInput, (next) => parseJsonInput(next).value);
  const isJson = parseJsonInput(text).isJson;
  return (
    <div className="sf-field">
      {name && <FieldLabel htmlFor={id} name={name} required={required} model={model} />}
      <textarea
        id={id}
        className="sf-json"
        rows={3}
        value={text}
        spellCheck={false}
        aria-label={name ? undefined : 'value (JSON)'}
        aria-invalid={own ? true : undefined}
        aria-describedby={ids}
        onChange={(event) => onChange(update(event.target.value))}
      />
      <p className="sf-hint">
        {model.reason}: type JSON{isJson ? '' : ' (not valid JSON: sent as a string)'}.
      </p>
      {notes}
    </div>
  );
}

export function NullField({ name }: ModelProps<'null'>) {
  return (
    <div className="sf-field sf-const">
      {name && (
        <span className="sf-label-text">
          <span className="sf-name">{name}</span>
        </span>
      )}
      <code>null</code>
    </div>
  );
}
