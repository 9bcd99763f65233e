import { Fragment, useEffect, useId, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { matchesChord, SHORTCUTS } from '../../../src-shared/shortcuts';
import { useRegisterDialog } from '../dialogs/dialog-coordinator';
import { pickConfigFiles } from '../import/config-file-picker';
import { useFindConfigsStore } from '../import/find-configs-store';
import { revealInInspector } from '../inspector/inspector-reveal';
import { useInspectorStore, type ServerLists } from '../inspector/inspector-store';
import { ensureAllListsLoaded, LIST_KINDS } from '../inspector/server-lists';
import { PLATFORM } from '../keyboard/platform';
import { runShortcut } from '../keyboard/use-shortcuts';
import { useRuntime } from '../runtime-context';
import { useAppStore } from '../store/app-store';
import { describeServer } from '../store/server-view';
import type { AppView } from '../timeline/ViewTabs';
import { buildPaletteItems, type PaletteCommands, type PaletteItem } from './palette-items';
import { KIND_LABELS, rankPalette, type RankedItem } from './palette-ranking';
import './palette.css';

const OPEN_CHORD = SHORTCUTS.find((shortcut) => shortcut.id === 'open-palette')!.chord;
/** How far Page Up / Page Down move the active option. */
const PAGE = 8;

interface CommandPaletteProps {
  onClose(): void;
  /** The App's own dialogs and views, as its toolbar opens them. */
  addServer(): void;
  exportCatalog(): void;
  openSettings(): void;
  openSheet(): void;
  setView(view: AppView): void;
}

/** The focused element of the page, to give the focus back to when the palette closes. */
function focusedElement(): HTMLElement | null {
  return document.activeElement instanceof HTMLElement && document.activeElement !== document.body ? document.activeElement : null;
}

/** Focuses a server's row in the list (where arrows move on), once the selection has rendered. */
function focusServerRow(name: string): void {
  requestAnimationFrame(() => {
    const row = document.querySelector<HTMLElement>(`[data-testid="server-row"][data-server="${CSS.escape(name)}"]`);
    if (row && row.offsetParent !== null) row.focus();
  });
}

/**
 * The command palette (Cmd/Ctrl+K): one field that finds any server, tool, resource, prompt or action by name. An
 * ARIA combobox with a grouped listbox: focus stays in the field, Up/Down move the active option
 * (aria-activedescendant), Enter chooses it, Escape closes and gives the focus back to where it was. It is a dialog
 * for the dialog coordinator, so it never stacks with another one.
 */
export function CommandPalette({ onClose, addServer, exportCatalog, openSettings, openSheet, setView }: CommandPaletteProps) {
  useRegisterDialog();
  const runtime = useRuntime();
  const baseId = useId();
  const listboxId = `${baseId}-listbox`;
  const inputRef = useRef<HTMLInputElement>(null);
  const returnFocus = useRef<HTMLElement | null>(null);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);

  const catalog = useAppStore((state) => state.catalog);
  const sessions = useAppStore((state) => state.sessions);
  const owner = useAppStore((state) => state.owner);
  const connections = useAppStore((state) => state.connections);
  const inspectorSessions = useInspectorStore((state) => state.sessions);

  useEffect(() => {
    returnFocus.current = focusedElement();
    inputRef.current?.focus();
    // What the palette searches: every connected server's lists (only those not loaded yet are asked for).
    ensureAllListsLoaded();
  }, []);

  const servers = useMemo(() => catalog.map((entry) => describeServer(entry, sessions, owner, connections[entry.name])), [catalog, sessions, owner, connections]);
  const lists = useMemo(() => {
    const result: Record<string, ServerLists> = {};
    for (const [server, session] of Object.entries(inspectorSessions)) if (session.client) result[server] = session.lists;
    return result;
  }, [inspectorSessions]);
  const loading = Object.values(lists).some((serverLists) => LIST_KINDS.some((kind) => serverLists[kind].loading));

  const items = useMemo(() => {
    const showServer = (name: string) => {
      runtime.select(name);
      setView('servers');
    };
    const commands: PaletteCommands = {
      selectServer: (name) => {
        showServer(name);
        focusServerRow(name);
      },
      toggleServer: (name, connectedNow) => runtime.toggle(name, connectedNow),
      reveal: (server, kind, key) => {
        showServer(server);
        revealInInspector(server, kind, key);
      },
      runShortcut: (id) => runShortcut(id, { runtime, setView, openSheet, openPalette: () => undefined }),
      addServer,
      importConfig: pickConfigFiles,
      findConfigs: () => void useFindConfigsStore.getState().find(),
      exportCatalog,
      openSettings,
      disconnectAll: () => runtime.disconnectAll(),
    };
    return buildPaletteItems({ servers, lists, platform: PLATFORM }, commands);
  }, [servers, lists, runtime, setView, openSheet, addServer, exportCatalog, openSettings]);

  const groups = useMemo(() => rankPalette(query, items), [query, items]);
  const flat = useMemo(() => groups.flatMap((group) => group.items), [groups]);
  const activeIndex = flat.length === 0 ? -1 : Math.min(active, flat.length - 1);
  const optionId = (index: number) => `${baseId}-option-${index}`;
  const activeId = activeIndex >= 0 ? optionId(activeIndex) : undefined;

  useEffect(() => {
    if (activeId) document.getElementById(activeId)?.scrollIntoView({ block: 'nearest' });
  }, [activeId]);

  const close = () => {
    const target = returnFocus.current;
    if (target?.isConnected) target.focus();
    onClose();
  };
  const choose = (item: PaletteItem) => {
    // Focus goes back first: what the item opens (a dialog, a tool's form, a row) then takes it from there.
    close();
    item.run();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    const move = (to: number) => {
      event.preventDefault();
      if (flat.length > 0) setActive(to);
    };
    switch (event.key) {
      case 'ArrowDown':
        return move(activeIndex < flat.length - 1 ? activeIndex + 1 : 0);
      case 'ArrowUp':
        return move(activeIndex > 0 ? activeIndex - 1 : flat.length - 1);
      case 'PageDown':
        return move(Math.min(activeIndex + PAGE, flat.length - 1));
      case 'PageUp':
        return move(Math.max(activeIndex - PAGE, 0));
      case 'Enter': {
        event.preventDefault();
        const chosen = flat[activeIndex];
        if (chosen) choose(chosen.item);
        return;
      }
      case 'Escape':
        event.preventDefault();
        event.stopPropagation();
        close();
        return;
      case 'Tab':
        // The field is the palette's one stop: Tab does not wander off behind it.
        event.preventDefault();
        return;
    }
    if (matchesChord(event, OPEN_CHORD, PLATFORM)) {
      // Pressed again while open: start a new search (and keep the browser's own Ctrl+K away).
      event.preventDefault();
      event.currentTarget.select();
    }
  };

  let index = -1;
  return (
    <div
      className="palette-backdrop"
      onMouseDown={(event) => {
        if (event.target === event.currentTarget) close();
      }}
    >
      <div
        className="palette"
        role="dialog"
        aria-modal="true"
        aria-label="Command palette"
        onMouseDown={(event) => {
          // A click anywhere in the palette leaves the focus in its field.
          if (event.target !== inputRef.current) event.preventDefault();
        }}
      >
        <input
          ref={inputRef}
          className="palette-input"
          type="text"
          role="combobox"
          aria-label="Find a server, tool, resource, prompt or action"
          placeholder="Find a server, tool, resource, prompt or action…"
          aria-expanded={flat.length > 0}
          aria-controls={listboxId}
          aria-autocomplete="list"
          aria-activedescendant={activeId}
          autoComplete="off"
          spellCheck={false}
          value={query}
          onChange={(event) => {
            setQuery(event.target.value);
            setActive(0);
          }}
          onKeyDown={onKeyDown}
        />
        <div className="palette-results" id={listboxId} role="listbox" aria-label="Results">
          {groups.map((group) => {
            const headingId = `${baseId}-group-${group.kind}`;
            return (
              <div key={group.kind} role="group" aria-labelledby={headingId} className="palette-group">
                <div role="presentation" id={headingId} className="palette-group-heading">
                  {KIND_LABELS[group.kind]}
                  {group.matched > group.items.length && <span className="palette-more"> (first {group.items.length} of {group.matched}: type to narrow)</span>}
                </div>
                {group.items.map((ranked) => {
                  index += 1;
                  const mine = index;
                  return (
                    <div
                      key={ranked.item.id}
                      id={optionId(mine)}
                      role="option"
                      aria-selected={mine === activeIndex}
                      className="palette-option"
                      data-kind={ranked.item.kind}
                      onMouseMove={() => {
                        if (mine !== activeIndex) setActive(mine);
                      }}
                      // Keep the focus in the field; the click chooses.
                      onMouseDown={(event) => event.preventDefault()}
                      onClick={() => choose(ranked.item)}
                    >
                      <OptionContent ranked={ranked} />
                    </div>
                  );
                })}
              </div>
            );
          })}
        </div>
        <p className="palette-status" role="status">
          {flat.length === 0 ? (query.trim() ? `Nothing matches “${query.trim()}”.` : 'Nothing to find yet.') : `${flat.length} result${flat.length === 1 ? '' : 's'}`}
          {loading && ' · loading the connected servers’ lists…'}
        </p>
        <p className="palette-help muted" aria-hidden="true">
          <kbd>↑</kbd> <kbd>↓</kbd> move · <kbd>Enter</kbd> choose · <kbd>Esc</kbd> close
          {Object.keys(lists).length === 0 && ' · connect a server to find its tools, resources and prompts'}
        </p>
      </div>
    </div>
  );
}

/** An option's text: the name with the matched characters marked, a secondary line, its server and its hint. */
function OptionContent({ ranked }: { ranked: RankedItem<PaletteItem> }) {
  const { item } = ranked;
  const secondary = item.title ?? item.detail ?? item.description;
  return (
    <>
      <span className="palette-option-text">
        <span className="palette-option-name">{highlight(item.name, ranked.nameIndices)}</span>
        {secondary && <span className="palette-option-secondary">{secondary}</span>}
      </span>
      {item.server && item.kind !== 'action' && <span className="palette-option-server">{item.server}</span>}
      {item.hint && (item.kind === 'action' ? <kbd className="palette-option-hint">{item.hint}</kbd> : <span className="palette-option-hint">{item.hint}</span>)}
    </>
  );
}

/** The text with the characters at `indices` in <mark>. */
function highlight(text: string, indices: readonly number[]): ReactNode {
  if (indices.length === 0) return text;
  const marked = new Set(indices);
  const parts: ReactNode[] = [];
  let start = 0;
  while (start < text.length) {
    const isMarked = marked.has(start);
    let end = start + 1;
    while (end < text.length && marked.has(end) === isMarked) end += 1;
    const piece = text.slice(start, end);
    parts.push(isMarked ? <mark key={start}>{piece}</mark> : <Fragment key={start}>{piece}</Fragment>);
    start = end;
  }
  return parts;
}
