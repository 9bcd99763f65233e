/**
 * `count` names based on `name` that are not in `taken`: "github 2", "github 3", ... The catalog's limit of 200
 * characters is kept by shortening the base.
 */
export function suggestFreeNames(name: string, count: number, taken: ReadonlySet<string>): string[] {
  const suggestions: string[] = [];
  for (let counter = 2; suggestions.length < count; counter += 1) {
    const suffix = ` ${counter}`;
    const candidate = `${name.slice(0, MAX_NAME_LENGTH - suffix.length)}${suffix}`;
    if (!taken.has(candidate) && !suggestions.includes(candidate)) suggestions.push(candidate);
  }
  return suggestions;
}

/** The catalog's limit on a server name (src-shared/catalog.ts). */
export const MAX_NAME_LENGTH = 200;
