import type { z } from 'zod';

/** Formats a zod issue path as the user would write it: `servers[2].args[0]`. */
export function formatIssuePath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((text, key) => (typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key)), '');
}

/** Turns a zod error into one readable sentence per issue, each naming the field it is about. */
export function describeZodError(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const where = formatIssuePath(issue.path);
      return where ? `${where}: ${issue.message}` : issue.message;
    })
    .join('; ');
}
