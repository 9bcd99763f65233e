import type { JsonSchemaType, JsonSchemaValidator, jsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/types.js';
import type { JsonSchema } from '../inspector/schema-form/json-schema';
import { formatSchemaErrors, validateValue } from '../inspector/schema-form/validate';

/**
 * The SDK client's JSON Schema validator (it checks tool output schemas with it). The SDK's default, ajv, compiles
 * schemas with `new Function`, which the renderer's CSP (no 'unsafe-eval') refuses: listing the tools of any server
 * with an output schema would fail. This one interprets the schema instead.
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
