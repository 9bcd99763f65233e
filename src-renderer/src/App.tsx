import { useEffect, useRef, useState, type CSSProperties } from 'react';
import { EmptyState } from './components/EmptyState';
import { ServerDetail } from './components/ServerDetail';
import { ServerFormDialog } from './components/ServerFormDialog';
import { ServerList } from './components/ServerList';
import { Toolbar } from './components/Toolbar';
import { ExportDialog } from './import/ExportDialog';
import { SettingsDialog } from './components/SettingsDialog';
import { ImportController } from './import/ImportController';
import { InputPromptDialog } from './inputs/InputPromptDialog';
import { ShortcutSheet } from './keyboard/ShortcutSheet';
import { useShortcuts } from './keyboard/use-shortcuts';
import { Toasts } from './notifications/Toasts';
import { usePanelSize } from './layout/panel-sizes';
import { Splitter } from './layout/Splitter';
import { useMediaQuery } from './layout/use-media-query';
import { CommandPalette } from './palette/CommandPalette';
import { useRuntime } from './runtime-context';
import { useAppStore } from './store/app-store';
import { TimelineView } from './timeline/TimelineView';
import { RecordingsView } from './recording/RecordingsView';
import { DiffView } from './diff/DiffView';
import { ViewTabs, type AppView } from './timeline/ViewTabs';

/** The server list's width (px); it is resizable by the bar at its right edge. */
const SIDEBAR_WIDTH = { initial: 300, min: 220, max: 520 };
/** Below this width the server list becomes a drawer, opened from a narrow rail. */
const NARROW_QUERY = '(max-width: 999px)';

/** Whether an event's target chooses a server row (the row itself, not a button inside it). */
function isRowChoice(target: EventTarget): boolean {
  const element = target as HTMLElement;
  return element.closest('[data-testid="server-row"]') !== null && element.closest('button') === null;
}

/** The app: toolbar and view tabs on top; the Servers view (list left, selected server right) or the Timeline. */
export function App() {
  const runtime = useRuntime();
  const boot = useAppStore((state) => state.boot);
  const link = useAppStore((state) => state.link);
  const [adding, setAdding] = useState(false);
  const [view, setView] = useState<AppView>('servers');
  const [exporting, setExporting] = useState(false);
  const [settingsOpen, setSettingsOpen] = useState(false);
  const catalogEmpty = useAppStore((state) => state.catalog.length === 0);
  const selected = useAppStore((state) => state.selected);
  const [sidebarWidth, setSidebarWidth, resetSidebarWidth] = usePanelSize('sidebar-width', SIDEBAR_WIDTH);
  const narrow = useMediaQuery(NARROW_QUERY);
  const [drawerOpen, setDrawerOpen] = useState(false);
  const drawerToggle = useRef<HTMLButtonElement>(null);
  const sidebar = useRef<HTMLElement>(null);

  // Choosing a server closes the drawer: the user came for its details. A wide window has no drawer.
  useEffect(() => setDrawerOpen(false), [selected, narrow]);
  useEffect(() => {
    // Opening the drawer takes the focus to the list (its row in the Tab order), so arrows work at once.
    if (drawerOpen) sidebar.current?.querySelector<HTMLElement>('[tabindex="0"], button')?.focus();
  }, [drawerOpen]);
  const [shortcutsOpen, setShortcutsOpen] = useState(false);
  const [paletteOpen, setPaletteOpen] = useState(false);
  useShortcuts({ runtime, setView, openSheet: () => setShortcutsOpen(true), openPalette: () => setPaletteOpen(true) });

  if (boot.status === 'failed') {
    return (
      <main className="boot boot-failed">
        <h1>MCP Patchbay could not start</h1>
        <p role="alert">{boot.error}</p>
      </main>
    );
  }
  if (boot.status === 'starting') {
    return (
      <main className="boot" aria-busy="true">
        <p>
          <span className="spinner" aria-hidden="true" /> Starting MCP Patchbay…
        </p>
        {link.error && <p className="muted">{link.error}; retrying…</p>}
      </main>
    );
  }

  return (
    <div className="app">
      <Toolbar onAdd={() => setAdding(true)} onExport={() => setExporting(true)} onSettings={() => setSettingsOpen(true)} onConnectAll={() => runtime.connectAll()} onDisconnectAll={() => runtime.disconnectAll()} />
      <ViewTabs view={view} onChange={setView} />
      {/* Both views stay mounted (hidden), so switching keeps their state. */}
      <main
        className={`layout${narrow ? ' layout-narrow' : ''}`}
        id="view-servers"
        role="tabpanel"
        aria-labelledby="tab-servers"
        hidden={view !== 'servers'}
        style={{ '--sidebar-width': `${sidebarWidth}px` } as CSSProperties}
      >
        {narrow && (
          <div className="rail">
            <button
              ref={drawerToggle}
              type="button"
              className="rail-toggle"
              aria-label="Server list"
              title="Server list"
              aria-expanded={drawerOpen}
              aria-controls="server-sidebar"
              onClick={() => setDrawerOpen(!drawerOpen)}
            >
              <span aria-hidden="true">☰</span>
            </button>
          </div>
        )}
        <nav
          ref={sidebar}
          id="server-sidebar"
          className={`sidebar${narrow ? ' drawer' : ''}`}
          aria-label="Server list"
          hidden={narrow && !drawerOpen}
          onKeyDown={(event) => {
            if (!narrow) return;
            if (event.key === 'Escape') {
              setDrawerOpen(false);
              drawerToggle.current?.focus();
            } else if ((event.key === 'Enter' || event.key === ' ') && isRowChoice(event.target)) setDrawerOpen(false);
          }}
          onClick={(event) => {
            // Choosing a server (even the one already selected) closes the drawer; its Connect button does not.
            if (narrow && isRowChoice(event.target)) setDrawerOpen(false);
          }}
        >
          <ServerList />
        </nav>
        {!narrow && (
          <Splitter
            label="Resize server list"
            controls="server-sidebar"
            orientation="vertical"
            grows={1}
            size={sidebarWidth}
            min={SIDEBAR_WIDTH.min}
            max={SIDEBAR_WIDTH.max}
            onResize={setSidebarWidth}
            onReset={resetSidebarWidth}
          />
        )}
        {catalogEmpty ? <EmptyState onAdd={() => setAdding(true)} /> : <ServerDetail />}
      </main>
      <TimelineView active={view === 'timeline'} />
      <RecordingsView active={view === 'recordings'} />
      <DiffView active={view === 'diff'} />
      {adding && <ServerFormDialog onSave={(entry) => runtime.addServer(entry)} onClose={() => setAdding(false)} />}
      {exporting && <ExportDialog onClose={() => setExporting(false)} />}
      {settingsOpen && <SettingsDialog onClose={() => setSettingsOpen(false)} />}
      {shortcutsOpen && <ShortcutSheet onClose={() => setShortcutsOpen(false)} />}
      {paletteOpen && (
        <CommandPalette
          onClose={() => setPaletteOpen(false)}
          addServer={() => setAdding(true)}
          exportCatalog={() => setExporting(true)}
          openSettings={() => setSettingsOpen(true)}
          openSheet={() => setShortcutsOpen(true)}
          setView={setView}
        />
      )}
      <ImportController />
      <InputPromptDialog />
      <Toasts />
    </div>
  );
}
