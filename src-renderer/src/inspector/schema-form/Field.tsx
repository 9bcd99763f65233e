import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { LabelText, useFieldNotes } from './field-chrome';
import { MAX_FIELD_DEPTH, type FieldProps, type ModelProps } from './field-props';
import { describeField, inferVariant, switchVariant, withAddedItem, withItem, withMovedItem, withoutItem, withProperty } from './form-model';
import { BooleanField, ConstField, EnumField, JsonField, MultiEnumField, NullField, NumberField, StringField } from './scalar-fields';
import { childPath } from './validate';

// The field dispatcher and the fields that hold other fields (objects, arrays, variants), which recurse into it.

/** One field of the form: its schema described, then drawn by the field of that kind. */
export function Field(props: FieldProps) {
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
      return <NullField {...props} model={model} />;
    case 'json':
      return <JsonField {...props} model={model} />;
  }
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
