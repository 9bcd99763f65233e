import type { ImportDecisionsInput, ImportPreview } from '../../../src-shared/api-contract';

/** What the user chose for one incoming server whose name needs a decision. */
export type ImportChoice = { action: 'replace' } | { action: 'skip' } | { action: 'rename'; newName: string };

/** Choices keyed by `choiceKey(name, file)`. */
export type ImportChoices = Record<string, ImportChoice>;

/** The key of one incoming server: a name can come from several files. */
export function choiceKey(name: string, file: string): string {
  return `${file}\u0000${name}`;
}

/**
 * Sensible first choices: a name already in the catalog is imported under the suggested new name (nothing the
 * user has is overwritten unless they say so); among files that share a new name, the first keeps it and the
 * others are renamed.
 */
export function defaultChoices(preview: ImportPreview): ImportChoices {
  const choices: ImportChoices = {};
  for (const conflict of preview.conflicts) {
    conflict.files.forEach((file, index) => {
      const keepsName = !conflict.inCatalog && index === 0;
      choices[choiceKey(conflict.name, file)] = keepsName ? { action: 'replace' } : { action: 'rename', newName: conflict.suggestedNames[index] ?? `${conflict.name} (${index + 1})` };
    });
  }
  return choices;
}

/** Problems with the choices the user can fix before confirming, one sentence each (empty when all is well). */
export function checkChoices(preview: ImportPreview, choices: ImportChoices): string[] {
  const problems: string[] = [];
  const catalogNamesTaken = new Set(preview.conflicts.filter((conflict) => conflict.inCatalog).map((conflict) => conflict.name));
  const finalNames = new Map<string, string>();
  const claim = (name: string, who: string) => {
    const previous = finalNames.get(name);
    if (previous) problems.push(`"${name}" would be used by both ${previous} and ${who}`);
    else finalNames.set(name, who);
  };
  for (const entry of preview.entries) {
    const who = `"${entry.name}" from ${entry.file}`;
    const choice = choices[choiceKey(entry.name, entry.file)];
    if (!choice || choice.action === 'replace') {
      claim(entry.name, who);
      continue;
    }
    if (choice.action === 'skip') continue;
    const newName = choice.newName.trim();
    if (!newName) problems.push(`give ${who} a new name`);
    else if (catalogNamesTaken.has(newName) || (newName !== entry.name && preview.entries.some((other) => other.name === newName && !choices[choiceKey(other.name, other.file)])))
      problems.push(`the new name "${newName}" for ${who} is already taken`);
    else claim(newName, who);
  }
  return problems;
}

/** Turns the choices into the decisions main expects: one per name, or one per file for a name several files share. */
export function toDecisions(preview: ImportPreview, choices: ImportChoices): ImportDecisionsInput {
  const decisions: ImportDecisionsInput = {};
  for (const conflict of preview.conflicts) {
    const perFile = Object.fromEntries(conflict.files.map((file) => [file, normalise(choices[choiceKey(conflict.name, file)])]));
    decisions[conflict.name] = conflict.files.length === 1 ? perFile[conflict.files[0]!]! : { perFile };
  }
  // Skips and renames the user chose for names without a conflict.
  for (const entry of preview.entries) {
    if (decisions[entry.name]) continue;
    const choice = choices[choiceKey(entry.name, entry.file)];
    if (choice && choice.action !== 'replace') decisions[entry.name] = normalise(choice);
  }
  return decisions;
}

function normalise(choice: ImportChoice | undefined): ImportChoice {
  if (!choice) return { action: 'skip' };
  return choice.action === 'rename' ? { action: 'rename', newName: choice.newName.trim() } : choice;
}
