import type { ServerEntry } from '../../../src-shared/catalog';
import { checkAnswers, type InputAnswers, type InputDefinition, type InputPrompt } from '../../../src-shared/inputs';
import { usedInputIds } from '../config/vscode-inputs';
import type { InputAnswerStore } from './input-answers';

/**
 * Every input a server uses, each with its definition: the one imported with the entry, or for an `${input:id}` no
 * definition describes, a plain text box named by its id (VS Code would refuse to start it; Patchbay asks).
 */
export function inputsOf(entry: ServerEntry): InputDefinition[] {
  return usedInputIds(entry).map((id) => entry.inputs?.find((input) => input.id === id) ?? { type: 'promptString', id });
}

/** What to ask before a server can start: its inputs that have no answer yet (none: connect at once). */
export function promptFor(entry: ServerEntry, answers: InputAnswerStore): InputPrompt {
  const given = answers.answersFor(entry.name);
  return {
    server: entry.name,
    inputs: inputsOf(entry).filter((input) => !Object.hasOwn(given, input.id)),
    storage: answers.storage,
    remembered: answers.rememberedCount(entry.name),
  };
}

/** Checks answers against a server's inputs (a pickString answer must be one of its options): the answers, or why not. */
export function checkServerAnswers(entry: ServerEntry, answers: unknown): { ok: true; answers: InputAnswers } | { ok: false; message: string } {
  const inputs = inputsOf(entry);
  if (inputs.length === 0) return { ok: false, message: `server "${entry.name}" uses no inputs` };
  const checked = checkAnswers(inputs, answers);
  return checked.ok ? checked : { ok: false, message: `server "${entry.name}": ${checked.message}` };
}

/**
 * An entry saved from the form carries no input definitions (the form does not edit them): it keeps the stored
 * entry's definitions of the inputs it still uses, so an edit never turns a pick list back into a text box.
 */
export function keepInputDefinitions(updated: ServerEntry, previous: ServerEntry | undefined): ServerEntry {
  if (updated.inputs !== undefined || !previous?.inputs) return updated;
  const used = new Set(usedInputIds(updated));
  const kept = previous.inputs.filter((input) => used.has(input.id));
  return kept.length > 0 ? { ...updated, inputs: kept } : updated;
}
