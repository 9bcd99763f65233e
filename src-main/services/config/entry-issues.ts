import type { z } from 'zod';
import { describeJsonType, isJsonObject, type JsonObject } from './json-values';

/** What each field of a catalog entry must be, as the end of a sentence starting with the field's name. */
const FIELD_RULES: Readonly<Record<string, string>> = {
  command: 'must be a non-empty string',
  args: 'must be an array of strings',
  env: 'must be an object of string values',
  headers: 'must be an object of string values',
  cwd: 'must be a non-empty string',
  url: 'must be an http:// or https:// URL',
  disabled: 'must be true or false',
};

/**
 * Turns the zod issues of one catalog entry into one readable sentence per field, in the order the issues came:
 * "args must be an array of strings (item 2 is a number); url must be an http:// or https:// URL".
 * @param input the object that was validated, to say what a wrong item actually was.
 * @param fileFieldNames how the file spells an entry field, when not as the catalog does: `{ url: 'serverUrl' }`.
 */
export function describeEntryIssues(issues: readonly z.core.$ZodIssue[], input: JsonObject, fileFieldNames: Readonly<Record<string, string>> = {}): string {
  const sentences = new Map<string, string>();
  for (const issue of issues) {
    const [field, item] = issue.path;
    const key = typeof field === 'string' ? field : '';
    if (sentences.has(key)) continue;
    const shownAs = Object.hasOwn(fileFieldNames, key) ? (fileFieldNames[key] as string) : key;
    sentences.set(key, describeFieldIssue(issue, key, shownAs, item, input));
  }
  return [...sentences.values()].join('; ');
}

/** @param shownAs the field as the file spells it (Windsurf's `serverUrl` for `url`). */
function describeFieldIssue(issue: z.core.$ZodIssue, field: string, shownAs: string, item: PropertyKey | undefined, input: JsonObject): string {
  // The name comes from the server's key, and the schema's own wording for it reads well ("a server needs a name").
  if (field === 'name' || field === '') return issue.message;
  if (!Object.hasOwn(FIELD_RULES, field)) return `${shownAs}: ${issue.message}`;
  // A socket url's issue says what is wrong with it ("the url names a host; …"), which the plain rule would hide.
  if (field === 'url' && issue.message.startsWith('the url ')) return `${shownAs} ${issue.message.slice('the url '.length)}`;
  const rule = `${shownAs} ${FIELD_RULES[field]}`;
  if (item === undefined) return rule;
  const container = input[field];
  if (typeof item === 'number' && Array.isArray(container)) return `${rule} (item ${item + 1} is ${describeJsonType(container[item])})`;
  if (typeof item === 'string' && isJsonObject(container)) return `${rule} ("${item}" is ${describeJsonType(container[item])})`;
  return rule;
}
