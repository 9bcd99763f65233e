import type { FieldModel } from './form-model';
import type { JsonSchema } from './json-schema';

/** What every field of the generated form gets from its parent. */
export interface FieldProps {
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

/** A field's props once its schema has been described as one kind of field. */
export type ModelProps<K extends FieldModel['kind']> = FieldProps & { model: Extract<FieldModel, { kind: K }> };

/** Past this depth a (recursive) schema is edited as raw JSON. */
export const MAX_FIELD_DEPTH = 16;
