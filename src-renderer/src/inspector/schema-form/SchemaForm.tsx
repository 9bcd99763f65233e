import { useMemo } from 'react';
import { errorsByPath } from './build';
import { Field } from './Field';
import { describeField } from './form-model';
import type { JsonSchema } from './json-schema';
import type { SchemaError } from './validate';

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
