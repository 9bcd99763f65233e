import { useEffect, useRef } from 'react';
import { create } from 'zustand';

/*
 * A request, from outside the inspector (the command palette), to show one tool, resource, template or prompt of a
 * server: its inspector switches to the tab, the tab's view selects the item and puts focus where the user goes next.
 * One request at a time; the view that acts on it marks it handled.
 */

export type RevealKind = 'tool' | 'resource' | 'template' | 'prompt';
export type RevealTab = 'tools' | 'resources' | 'prompts';

export interface RevealRequest {
  id: number;
  server: string;
  kind: RevealKind;
  /** The tool's or prompt's name, the resource's uri, the template's uriTemplate. */
  key: string;
}

const TAB_OF: Record<RevealKind, RevealTab> = { tool: 'tools', resource: 'resources', template: 'resources', prompt: 'prompts' };

/** The tab an item is shown in. */
export function revealTab(kind: RevealKind): RevealTab {
  return TAB_OF[kind];
}

export const useRevealStore = create<{ request?: RevealRequest }>(() => ({}));
let nextRevealId = 1;

/** Asks the server's inspector to show this item (the server must be selected for its inspector to be on screen). */
export function revealInInspector(server: string, kind: RevealKind, key: string): void {
  useRevealStore.setState({ request: { id: nextRevealId++, server, kind, key } });
}

/** The request waiting for this server's inspector, if any. */
export function useRevealRequestFor(server: string): RevealRequest | undefined {
  return useRevealStore((state) => (state.request?.server === server ? state.request : undefined));
}

/** Calls `onReveal` once for each request for this server's tab (its view is on screen), then marks it handled. */
export function useReveal(server: string, tab: RevealTab, onReveal: (request: RevealRequest) => void): void {
  const request = useRevealStore((state) => (state.request?.server === server && TAB_OF[state.request.kind] === tab ? state.request : undefined));
  const latest = useRef(onReveal);
  latest.current = onReveal;
  useEffect(() => {
    if (!request) return;
    latest.current(request);
    useRevealStore.setState((state) => (state.request?.id === request.id ? { request: undefined } : state));
  }, [request]);
}

/** Focuses a form's first field (text, pick list), else its submit button: where the user types or acts first. */
export function focusFirstField(container: HTMLElement | null): void {
  if (!container) return;
  const field = container.querySelector<HTMLElement>('input:not([type="hidden"]):not([disabled]), select:not([disabled]), textarea:not([disabled])');
  (field ?? container.querySelector<HTMLElement>('button[type="submit"]:not([disabled])') ?? container)?.focus();
}
