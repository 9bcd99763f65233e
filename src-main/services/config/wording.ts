/** Joins items for a sentence: "A", "A and B", "A, B and C". */
export function listWords(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** The `${env:NAME}` placeholder Patchbay fills from the environment variable NAME. */
export function envPlaceholder(name: string): string {
  return `\${env:${name}}`;
}
