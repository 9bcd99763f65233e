import type { Client } from '@modelcontextprotocol/client';
import { useEffect, useState } from 'react';

/** What is being completed: a prompt's argument or a resource template's variable. */
export type CompletionRef = { type: 'ref/prompt'; name: string } | { type: 'ref/resource'; uri: string };

/** How long typing must pause before the server is asked. */
const DEBOUNCE_MS = 150;
const NONE: string[] = [];

/**
 * Suggestions for one argument from `completion/complete`, asked for as the user types (debounced), with the other
 * arguments' values as context. Empty when the server lacks the completions capability or the request fails:
 * suggestions are a convenience, never an error.
 */
export function useCompletions(client: Client, enabled: boolean, ref: CompletionRef, argument: string, value: string, context: Readonly<Record<string, string>>): string[] {
  const [values, setValues] = useState<string[]>(NONE);
  const refKey = JSON.stringify(ref);
  const contextKey = JSON.stringify(context);

  useEffect(() => {
    if (!enabled) return;
    let current = true;
    const timer = setTimeout(() => {
      client
        .complete({ ref: JSON.parse(refKey) as CompletionRef, argument: { name: argument, value }, context: { arguments: JSON.parse(contextKey) as Record<string, string> } })
        .then((result) => {
          if (current) setValues(result.completion.values);
        })
        .catch(() => {
          if (current) setValues(NONE);
        });
    }, DEBOUNCE_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [client, enabled, refKey, argument, value, contextKey]);

  return enabled ? values : NONE;
}
