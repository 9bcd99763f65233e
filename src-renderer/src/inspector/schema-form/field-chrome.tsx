import { useId, type ReactNode } from 'react';
import { describeConstraints, type FieldModel } from './form-model';

// The parts around every field's input: its label row and the notes (description, constraints, errors) under it.

/** The label text: name, a required mark, the title when it says more, a deprecated tag. */
export function LabelText({ name, required, model }: { name: string; required: boolean; model: FieldModel }) {
  return (
    <>
      <span className="sf-name">{name}</span>
      <LabelMarks name={name} required={required} model={model} />
    </>
  );
}

/** What sits beside a field's name: a required mark, the title when it says more, a deprecated tag. */
function LabelMarks({ name, required, model }: { name: string; required: boolean; model: FieldModel }) {
  return (
    <>
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
export function FieldLabel({ htmlFor, name, required, model, children }: { htmlFor: string; name: string; required: boolean; model: FieldModel; children?: ReactNode }) {
  return (
    <div className="sf-label-row">
      <label htmlFor={htmlFor}>
        {children}
        <span className="sf-name">{name}</span>
      </label>
      <LabelMarks name={name} required={required} model={model} />
    </div>
  );
}

/** Description, constraints and errors under a field; returns the ids for aria-describedby. */
export function useFieldNotes(model: FieldModel, errors: readonly string[] | undefined): { ids: string | undefined; notes: ReactNode } {
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
