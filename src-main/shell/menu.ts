import { app, Menu, shell, type MenuItemConstructorOptions } from 'electron';

/** The application menu with the usual roles; on macOS the app menu comes first. */
export function installMenu(onOpenFiles: () => void): void {
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
        // A menu item is clicked by the user, and the address is ours: the one openExternal outside a clicked link.
        { label: 'Model Context Protocol', click: () => void shell.openExternal('https://modelcontextprotocol.io') },
        { label: `About ${app.getName()}`, role: 'about' },
      ],
    },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
