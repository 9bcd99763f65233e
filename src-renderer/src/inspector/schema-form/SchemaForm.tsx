import { useEffect, useId, useMemo, useRef, useState, type ReactNode } from 'react';
import { errorsByPath } from './build';
import {
  describeConstraints,
  describeField,
  formatJsonInput,
  inferVariant,
  optionIndex,
  parseJsonInput,
  parseNumberInput,
  switchVariant,
  toggleOption,
  withAddedItem,
  withItem,
  withMovedItem,
  withoutItem,
  withProperty,
  type FieldModel,
} from './form-model';
import { deepEqual, displayValue, type JsonSchema } from './json-schema';
import { childPath, type SchemaError } from './validate';

interface SchemaFormProps {
  /** The root schema (tool input schema, elicitation requestedSchema); `$ref`s resolve against it. */
  schema: JsonSchema;
  value: unknown;
  onChange(value: unknown): void;
  /** Errors to show next to their fields (after a first attempt to send). */
  errors?: readonly SchemaError[];
  /** The form's accessible name. */
  label: string;
}

const NO_ERRORS: ReadonlyMap<string, string[]> = new Map();
/** Past this depth a (recursive) schema is edited as raw JSON. */
const MAX_FIELD_DEPTH = 16;

/** A form generated from a JSON schema: nested objects, arrays, enums, variants, required marks and hints. */
export function SchemaForm({ schema, value, onChange, errors, label }: SchemaFormProps) {
  const byPath = useMemo(() => (errors ? errorsByPath(errors) : NO_ERRORS), [errors]);
  const model = useMemo(() => describeField(schema, schema), [schema]);
  if (model.kind === 'object' && model.properties.length === 0) {
    return <p className="muted sf-none">No arguments.</p>;
  }
  return (
    <div className="sf-form" role="group" aria-label={label}>
      <Field schema={schema} root={schema} value={value} onChange={onChange} path="" required errors={byPath} depth={0} />
    </div>
  );
}

interface FieldProps {
  schema: JsonSchema | undefined;
  root: JsonSchema;
  value: unknown;
  onChange(value: unknown): void;
  path: string;
  /** The label: a property name or `#n` for an array item; none for the top level and a variant's body. */
  name?: string;
  required: boolean;
  errors: ReadonlyMap<string, string[]>;
  depth: number;
}

function Field(props: FieldProps) {
  const { schema, root, depth } = props;
  const model = useMemo(() => describeField(schema, root), [schema, root]);
  if (depth > MAX_FIELD_DEPTH) return <JsonField {...props} model={{ ...model, kind: 'json', reason: 'Nested too deep for the form' }} />;
  switch (model.kind) {
    case 'string':
      return <StringField {...props} model={model} />;
    case 'number':
      return <NumberField {...props} model={model} />;
    case 'boolean':
      return <BooleanField {...props} model={model} />;
    case 'enum':
      return <EnumField {...props} model={model} />;
    case 'multi-enum':
      return <MultiEnumField {...props} model={model} />;
    case 'object':
      return <ObjectField {...props} model={model} />;
    case 'array':
      return <ArrayField {...props} model={model} />;
    case 'variant':
      return <VariantField {...props} model={model} />;
    case 'const':
      return <ConstField {...props} model={model} />;
    case 'null':
      return (
        <div className="sf-field sf-const">
          {props.name && (
            <span className="sf-label-text">
              <span className="sf-name">{props.name}</span>
            </span>
          )}
          <code>null</code>
        </div>
      );
    case 'json':
      return <JsonField {...props} model={model} />;
  }
}

/** The label text: name, a required mark, the title when it says more, a deprecated tag. */
function LabelText({ name, required, model }: { name: string; required: boolean; model: FieldModel }) {
  return (
    <>
      <span className="sf-name">{name}</span>
      {required && (
        <span className="sf-required" aria-hidden="true" title="required">
          *
        </span>
      )}
      {model.title && model.title !== name && <span className="sf-title">{model.title}</span>}
      {model.deprecated && <span className="tag tag-muted">deprecated</span>}
    </>
  );
}

/**
 * A field's label row: the <label> holds the name only (so the accessible name is exactly the property name); the
 * required mark, title and deprecated tag sit beside it.
 */
function FieldLabel({ htmlFor, name, required, model, children }: { htmlFor: string; name: string; required: boolean; model: FieldModel; children?: ReactNode }) {
  return (
    <div className="sf-label-row">
      <label htmlFor={htmlFor}>
        {children}
        <span className="sf-name">{name}</span>
      </label>
      {required && (
        <span className="sf-required" aria-hidden="true" title="required">
          *
        </span>
      )}
      {model.title && model.title !== name && <span className="sf-title">{model.title}</span>}
      {model.deprecated && <span className="tag tag-muted">deprecated</span>}
    </div>
  );
}

/** Description, constraints and errors under a field; returns the ids for aria-describedby. */
function useFieldNotes(model: FieldModel, errors: readonly string[] | undefined): { ids: string | undefined; notes: ReactNode } {
  const id = useId();
  const constraints = describeConstraints(model);
  const ids = [model.description && `${id}-d`, constraints && `${id}-c`, errors?.length && `${id}-e`].filter(Boolean).join(' ') || undefined;
  const notes = (
    <>
      {model.description && (
        <p className="sf-hint" id={`${id}-d`}>
          {model.description}
        </p>
      )}
      {constraints && (
        <p className="sf-hint sf-constraints" id={`${id}-c`}>
          {constraints}
        </p>
      )}
      {errors && errors.length > 0 && (
        <p className="sf-error" id={`${id}-e`}>
          {errors.join('; ')}
        </p>
      )}
    </>
  );
  return { ids, notes };
}

type ModelProps<K extends FieldModel['kind']> = FieldProps & { model: Extract<FieldModel, { kind: K }> };

function StringField({ model, value, onChange, path, name, required, errors }: ModelProps<'string'>) {
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

function NumberField({ model, value, onChange, path, name, required, errors }: ModelProps<'number'>) {
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

function BooleanField({ model, value, onChange, path, name, required, errors }: ModelProps<'boolean'>) {
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

function EnumField({ model, value, onChange, path, name, required, errors }: ModelProps<'enum'>) {
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

function MultiEnumField({ model, value, onChange, path, name, required, errors }: ModelProps<'multi-enum'>) {
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

function ObjectField({ model, root, value, onChange, path, name, required, errors, depth }: ModelProps<'object'>) {
  const own = errors.get(path);
  const { ids, notes } = useFieldNotes(model, own);
  const record = value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  const extraKeys = record ? Object.keys(record).filter((key) => !model.properties.some((property) => property.name === key)) : [];
  const fields = (
    <>
      {model.properties.map((property) => (
        <Field
          key={property.name}
          schema={property.schema}
          root={root}
          value={record?.[property.name]}
          onChange={(next) => onChange(withProperty(record, property.name, next))}
          path={childPath(path, property.name)}
          name={property.name}
          required={property.required}
          errors={errors}
          depth={depth + 1}
        />
      ))}
      {extraKeys.length > 0 && <p className="sf-hint">Also sent as typed in JSON mode: {extraKeys.join(', ')}</p>}
    </>
  );
  // The top level and a variant's body have no frame of their own.
  if (!name) {
    return (
      <>
        {fields}
        {notes}
      </>
    );
  }
  return (
    <fieldset className="sf-group" aria-describedby={ids}>
      <legend>
        <LabelText name={name} required={required} model={model} />
      </legend>
      {notes}
      {fields}
    </fieldset>
  );
}

function ArrayField({ model, root, value, onChange, path, name, required, errors, depth }: ModelProps<'array'>) {
  const own = errors.get(path);
  const { ids, notes } = useFieldNotes(model, own);
  const items = Array.isArray(value) ? value : [];
  const label = name ?? 'items';
  const full = model.maxItems !== undefined && items.length >= model.maxItems;
  const groupRef = useRef<HTMLFieldSetElement>(null);
  const focusAdded = useRef(false);
  useEffect(() => {
    // After "+ Add item", the user's next step is the new item: focus its first field.
    if (!focusAdded.current) return;
    focusAdded.current = false;
    const added = groupRef.current?.querySelectorAll<HTMLElement>(':scope > .sf-item');
    const last = added?.[added.length - 1];
    last?.querySelector<HTMLElement>('input:not([disabled]), select:not([disabled]), textarea:not([disabled]), button:not([disabled])')?.focus();
  }, [items.length]);
  return (
    <fieldset className="sf-group sf-array" aria-describedby={ids} ref={groupRef}>
      <legend>
        <LabelText name={label} required={required} model={model} /> <span className="muted">({items.length})</span>
      </legend>
      {notes}
      {items.map((item, index) => (
        <div className="sf-item" key={index}>
          <div className="sf-item-body">
            <Field
              schema={model.itemSchema}
              root={root}
              value={item}
              onChange={(next) => onChange(withItem(items, index, next))}
              path={childPath(path, index)}
              name={`#${index + 1}`}
              required
              errors={errors}
              depth={depth + 1}
            />
          </div>
          <div className="sf-item-actions">
            <button type="button" className="icon" aria-label={`Move ${label} #${index + 1} up`} disabled={index === 0} onClick={() => onChange(withMovedItem(items, index, -1))}>
              ↑
            </button>
            <button
              type="button"
              className="icon"
              aria-label={`Move ${label} #${index + 1} down`}
              disabled={index === items.length - 1}
              onClick={() => onChange(withMovedItem(items, index, 1))}
            >
              ↓
            </button>
            <button type="button" className="icon danger" aria-label={`Remove ${label} #${index + 1}`} onClick={() => onChange(withoutItem(items, index))}>
              ✕
            </button>
          </div>
        </div>
      ))}
      <button
        type="button"
        className="sf-add"
        disabled={full}
        onClick={() => {
          focusAdded.current = true;
          onChange(withAddedItem(value, model.itemSchema, root));
        }}
      >
        + Add item
      </button>
    </fieldset>
  );
}

function VariantField({ model, root, value, onChange, path, name, required, errors, depth }: ModelProps<'variant'>) {
  const id = useId();
  const own = errors.get(path);
  const { ids, notes } = useFieldNotes(model, own);
  // The choice is the user's; it starts as the variant the current value fits best.
  const [chosen, setChosen] = useState(() => inferVariant(model.variants, value, root));
  const variant = model.variants[Math.min(chosen, model.variants.length - 1)];
  const unset = value === undefined && !required;
  return (
    <fieldset className="sf-group sf-variant" aria-describedby={ids}>
      <legend>
        <LabelText name={name ?? 'value'} required={required} model={model} />
      </legend>
      {notes}
      <div className="sf-field sf-variant-picker">
        <label htmlFor={id}>{model.keyword === 'type' ? 'Type' : 'Variant'}</label>
        <select
          id={id}
          className="sf-select"
          value={unset ? '' : String(chosen)}
          onChange={(event) => {
            if (event.target.value === '') {
              onChange(undefined);
              return;
            }
            const next = Number(event.target.value);
            setChosen(next);
            onChange(switchVariant(value, model.variants[next]!.schema, root));
          }}
        >
          {!required && <option value="">—</option>}
          {model.variants.map((candidate, position) => (
            <option key={position} value={String(position)}>
              {candidate.label}
            </option>
          ))}
        </select>
      </div>
      {variant && !unset && <Field schema={variant.schema} root={root} value={value} onChange={onChange} path={path} required errors={errors} depth={depth + 1} />}
    </fieldset>
  );
}

function ConstField({ model, name }: ModelProps<'const'>) {
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

function JsonField({ model, value, onChange, path, name, required, errors }: ModelProps<'json'>) {
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
