import { z } from 'zod';
import { describeZodError } from './zod-errors';

// VS Code's input variables, as its docs describe them ("Variables reference" → "Input variables", and the MCP
// configuration reference for mcp.json's `inputs`): `promptString` (description, default, password) and `pickString`
// (description, options, default). A server's `${input:id}` is asked for when it starts; Patchbay keeps the
// definitions a server uses with its catalog entry, and the answers apart from it (services/inputs).

const inputId = z.string().trim().min(1, 'an input needs an id').max(200, 'an input id is at most 200 characters');

/** A text box; `password` hides what is typed and marks the answer secret. */
export const PromptStringInputSchema = z.strictObject({
  type: z.literal('promptString'),
  id: inputId,
  description: z.string().optional(),
  password: z.boolean().optional(),
  default: z.string().optional(),
});

/** A choice among `options` (the values; VS Code's `{ label, value }` options are kept by value). */
export const PickStringInputSchema = z.strictObject({
  type: z.literal('pickString'),
  id: inputId,
  description: z.string().optional(),
  options: z.array(z.string()).min(1, 'a pickString input needs at least one option'),
  default: z.string().optional(),
});

export const InputDefinitionSchema = z.discriminatedUnion('type', [PromptStringInputSchema, PickStringInputSchema]);
export type InputDefinition = z.infer<typeof InputDefinitionSchema>;

/** Answers by input id, as the user gave them. */
export const InputAnswersSchema = z.record(z.string().min(1), z.string().max(64 * 1024, 'an answer is at most 64 KiB'));
export type InputAnswers = z.infer<typeof InputAnswersSchema>;

/** The id of every `${input:id}` in a text, in order. */
export function inputIdsIn(value: string): string[] {
  return [...value.matchAll(/\$\{input:([^{}]+)\}/g)].map((match) => match[1] as string);
}

/**
 * The schema answers to these inputs must match: each id one of the inputs, a pickString answer one of its options.
 * Used where answers cross a trust boundary (the api), so a wrong answer is refused with a sentence naming the input.
 */
export function answersSchemaFor(inputs: readonly InputDefinition[]) {
  const shape: Record<string, z.ZodType<string | undefined>> = {};
  for (const input of inputs) {
    shape[input.id] =
      input.type === 'pickString'
        ? z
            .string()
            .refine((value) => input.options.includes(value), {
              message: `the input "${input.id}" must be one of ${input.options.map((option) => `"${option}"`).join(', ')}`,
            })
            .optional()
        : z.string().max(64 * 1024, `the answer to "${input.id}" is at most 64 KiB`).optional();
  }
  return z.strictObject(shape);
}

/** Checks answers against the inputs: the answers, or a readable sentence of what is wrong. */
export function checkAnswers(inputs: readonly InputDefinition[], answers: unknown): { ok: true; answers: InputAnswers } | { ok: false; message: string } {
  const parsed = answersSchemaFor(inputs).safeParse(answers);
  if (parsed.success) return { ok: true, answers: Object.fromEntries(Object.entries(parsed.data).filter((pair): pair is [string, string] => pair[1] !== undefined)) };
  const unknown = parsed.error.issues.flatMap((issue) => (issue.code === 'unrecognized_keys' ? issue.keys : []));
  if (unknown.length > 0) return { ok: false, message: `there is no input ${unknown.map((id) => `"${id}"`).join(', ')} in this server` };
  return { ok: false, message: describeZodError(parsed.error) };
}

/** How remembered answers are kept, for the prompt to say: sealed with the OS keychain, or only while Patchbay runs. */
export type RememberedInputsStorage = 'keychain' | 'session';

/** What the prompt needs to ask for a server's missing inputs. */
export const InputPromptSchema = z.strictObject({
  server: z.string(),
  /** The inputs without an answer; one the server uses but no definition describes is asked as a plain text box. */
  inputs: z.array(InputDefinitionSchema),
  storage: z.enum(['keychain', 'session']),
  /** How many answers are remembered for this server (for "Forget remembered inputs"). */
  remembered: z.number().int().nonnegative(),
});
export type InputPrompt = z.infer<typeof InputPromptSchema>;
