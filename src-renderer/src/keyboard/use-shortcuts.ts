import { useEffect, useRef } from 'react';
import { shortcutFor, type ShortcutId } from '../../../src-shared/shortcuts';
import { getApi } from '../api/get-api';
import type { AppRuntime } from '../app-runtime';
import { useAppStore } from '../store/app-store';
import { describeServer } from '../store/server-view';
import type { AppView } from '../timeline/ViewTabs';
import { isTypingTarget, PLATFORM } from './platform';

interface ShortcutTargets {
  runtime: AppRuntime;
  setView(view: AppView): void;
  openSheet(): void;
  openPalette(): void;
}

/** Whether a dialog is open: window shortcuts then wait, so nothing happens behind it. */
const dialogOpen = () => document.querySelector('[role="dialog"][aria-modal="true"]') !== null;

/** Moves the visible inspector's tab selection by one, as its arrow keys would, and focuses the new tab. */
function stepInspectorTab(step: 1 | -1): void {
  const list = [...document.querySelectorAll<HTMLElement>('.insp-tabs')].find((element) => element.offsetParent !== null);
  const tabs = [...(list?.querySelectorAll<HTMLElement>('[role="tab"]') ?? [])];
  const current = tabs.findIndex((tab) => tab.getAttribute('aria-selected') === 'true');
  const next = tabs[(current + step + tabs.length) % tabs.length];
  next?.click();
  next?.focus();
}

/** The form of the tool shown in the visible inspector, if any. */
function visibleToolForm(): HTMLFormElement | undefined {
  return [...document.querySelectorAll<HTMLFormElement>('article[aria-label^="Tool "] form')].find((form) => form.offsetParent !== null);
}

/** Runs one shortcut's action. The key handler and the desktop menu both come here. */
export function runShortcut(id: ShortcutId, targets: ShortcutTargets): void {
  const { runtime } = targets;
  switch (id) {
    case 'toggle-selected': {
      const state = useAppStore.getState();
      const entry = state.catalog.find((candidate) => candidate.name === state.selected);
      if (!entry) return;
      const view = describeServer(entry, state.sessions, state.owner, state.connections[entry.name]);
      if (!view.connectedOrWanted && entry.disabled) return;
      runtime.toggle(entry.name, view.connectedOrWanted);
      return;
    }
    case 'connect-all':
      runtime.connectAll();
      return;
    case 'focus-filter':
      targets.setView('timeline');
      // The Timeline panel is shown on the next render; focus its search then.
      requestAnimationFrame(() => document.querySelector<HTMLInputElement>('#view-timeline input[type="search"]')?.focus());
      return;
    case 'view-servers':
      targets.setView('servers');
      return;
    case 'view-timeline':
      targets.setView('timeline');
      return;
    case 'next-inspector-tab':
      stepInspectorTab(1);
      return;
    case 'previous-inspector-tab':
      stepInspectorTab(-1);
      return;
    case 'show-shortcuts':
      targets.openSheet();
      return;
    case 'open-palette':
      targets.openPalette();
      return;
    case 'run-tool':
      // The keys are handled by the tool's form, where focus is; chosen from the command palette, the visible form runs.
      visibleToolForm()?.requestSubmit();
      return;
  }
}

/** Listens for the shared table's window shortcuts, and the menu's, while no dialog is open. */
export function useShortcuts(targets: ShortcutTargets): void {
  const latest = useRef(targets);
  latest.current = targets;
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.isComposing || dialogOpen()) return;
      const shortcut = shortcutFor(event, PLATFORM, isTypingTarget(event.target));
      if (!shortcut) return;
      event.preventDefault();
      runShortcut(shortcut.id, latest.current);
    };
    window.addEventListener('keydown', onKeyDown);
    // The desktop app's Help menu sends the same actions (web mode has no menu).
    const offMenu = getApi().onShortcut?.(({ id }) => {
      if (!dialogOpen()) runShortcut(id, latest.current);
    });
    return () => {
      window.removeEventListener('keydown', onKeyDown);
      offMenu?.();
    };
  }, []);
}
