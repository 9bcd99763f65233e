import { app, Menu, shell, type MenuItemConstructorOptions } from 'electron';
import { acceleratorOf, SHORTCUTS, type ShortcutId } from '../../src-shared/shortcuts';

/**
 * The Help menu's shortcut items, from the same table as the renderer's `?` sheet. The keys are shown but not
 * registered: the page handles them itself (so `?` still types in a field and nothing runs twice); choosing an
 * item sends the action to the page, which runs it as the keys would.
 */
function shortcutItems(onShortcut: (id: ShortcutId) => void): MenuItemConstructorOptions[] {
  return SHORTCUTS.map((shortcut) => ({
    label: shortcut.label,
    accelerator: acceleratorOf(shortcut.chord),
    registerAccelerator: false,
    // Run lives in the focused tool form; the menu only tells the keys.
    enabled: shortcut.local !== true,
    click: () => onShortcut(shortcut.id),
  }));
}

/** The application menu with the usual roles; on macOS the app menu comes first. */
export function installMenu(onOpenFiles: () => void, onShortcut: (id: ShortcutId) => void): void {
  const isMac = process.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' } as MenuItemConstructorOptions] : []),
    {
      label: 'File',
      submenu: [{ label: 'Open Config Files…', accelerator: 'CmdOrCtrl+O', click: onOpenFiles }, { type: 'separator' }, isMac ? { role: 'close' } : { role: 'quit' }],
    },
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [
        ...shortcutItems(onShortcut),
        { type: 'separator' },
        // A menu item is clicked by the user, and the address is ours: the one openExternal outside a clicked link.
        { label: 'Model Context Protocol', click: () => void shell.openExternal('https://modelcontextprotocol.io') },
        { label: `About ${app.getName()}`, role: 'about' },
      ],
    },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
