/**
 * Resource templates (RFC 6570 URI templates such as `fixture://items/{id}` or `search{?q,limit}`): the variables a
 * form needs an input for, and the URI the values make. Built on the SDK's own template implementation.
 */
import { UriTemplate } from '@modelcontextprotocol/client';

/** The variables of a template, each once, in order; an unparsable template has none. */
export function templateVariables(template: string): string[] {
  try {
    return [...new Set(new UriTemplate(template).variableNames)];
  } catch {
    return [];
  }
}

/** The URI for the values given (unset variables expand to nothing, as RFC 6570 says). */
export function expandTemplate(template: string, values: Readonly<Record<string, string>>): string {
  const set = Object.fromEntries(Object.entries(values).filter(([, value]) => value !== ''));
  return new UriTemplate(template).expand(set);
}

/** The variables still empty: a template read is held back until each has a value. */
export function missingVariables(template: string, values: Readonly<Record<string, string>>): string[] {
  return templateVariables(template).filter((name) => (values[name] ?? '').trim() === '');
}
