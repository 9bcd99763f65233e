import type { JsonSchemaType, JsonSchemaValidator, jsonSchemaValidator } from '@modelcontextprotocol/client';
import type { JsonSchema } from '../inspector/schema-form/json-schema';
import { formatSchemaErrors, validateValue } from '../inspector/schema-form/validate';

/**
 * The SDK client's JSON Schema validator (it checks tool output schemas with it). The
 * renderer's CSP has no 'unsafe-eval', so a validator that compiles schemas to code (ajv, the SDK's choice under
 * Node) would fail on any server with an output schema; this one interprets the schema instead, with the same
 * validator the inspector's forms use, so the client and the forms agree on what is valid.
 */
export class InterpretingSchemaValidator implements jsonSchemaValidator {
  getValidator<T>(schema: JsonSchemaType): JsonSchemaValidator<T> {
    return (input: unknown) => {
      const errors = validateValue(input, schema as JsonSchema);
      if (errors.length === 0) return { valid: true, data: input as T, errorMessage: undefined };
      return { valid: false, data: undefined, errorMessage: formatSchemaErrors(errors) };
    };
  }
}
