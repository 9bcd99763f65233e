/**
 * The app's keyboard shortcuts, in one table: the renderer's key handler, the `?` shortcut sheet and the desktop
 * app's Help menu all read it, so they never disagree. Pure: no DOM, no Node.
 */

export const SHORTCUT_IDS = [
  'open-palette',
  'toggle-selected',
  'connect-all',
  'focus-filter',
  'view-servers',
  'view-timeline',
  'next-inspector-tab',
  'previous-inspector-tab',
  'run-tool',
  'show-shortcuts',
] as const;
export type ShortcutId = (typeof SHORTCUT_IDS)[number];

/** A key chord. `mod` is Cmd on macOS and Ctrl elsewhere. `key` is `KeyboardEvent.key`, compared case-insensitively. */
export interface KeyChord {
  key: string;
  mod?: boolean;
  shift?: boolean;
  alt?: boolean;
}

export interface Shortcut {
  id: ShortcutId;
  /** What it does, as the sheet and the menu say it. */
  label: string;
  chord: KeyChord;
  /** Handled by the focused form (Run), not by the window: the menu shows it but sends nothing. */
  local?: boolean;
  /** Works even while typing in a field (chords with a modifier do; bare keys like `?` must not). */
  inFields: boolean;
}

export const SHORTCUTS: readonly Shortcut[] = [
  { id: 'open-palette', label: 'Command palette: find any server, tool, resource, prompt or action', chord: { key: 'k', mod: true }, inFields: true },
  { id: 'toggle-selected', label: 'Connect or disconnect the selected server', chord: { key: 'd', mod: true, shift: true }, inFields: true },
  { id: 'connect-all', label: 'Connect all servers', chord: { key: 'a', mod: true, shift: true }, inFields: true },
  { id: 'focus-filter', label: 'Search the timeline', chord: { key: 'f', mod: true, shift: true }, inFields: true },
  { id: 'view-servers', label: 'Show the Servers view', chord: { key: '1', mod: true }, inFields: true },
  { id: 'view-timeline', label: 'Show the Timeline view', chord: { key: '2', mod: true }, inFields: true },
  { id: 'next-inspector-tab', label: 'Next inspector tab', chord: { key: ']', mod: true }, inFields: true },
  { id: 'previous-inspector-tab', label: 'Previous inspector tab', chord: { key: '[', mod: true }, inFields: true },
  { id: 'run-tool', label: 'Run the selected tool (in its form)', chord: { key: 'Enter', mod: true }, local: true, inFields: true },
  { id: 'show-shortcuts', label: 'Show keyboard shortcuts', chord: { key: '?' }, inFields: false },
];

export type Platform = 'mac' | 'other';

/** The platform from a user agent / `navigator.platform` / `process.platform` string. */
export function platformOf(hint: string): Platform {
  return /mac|darwin|iphone|ipad/i.test(hint) ? 'mac' : 'other';
}

/** The keys as the user reads them: `⌘⇧D` on macOS, `Ctrl+Shift+D` elsewhere. */
export function formatChord(chord: KeyChord, platform: Platform): string {
  const key = chord.key.length === 1 ? chord.key.toUpperCase() : chord.key;
  if (platform === 'mac') return `${chord.mod ? '⌘' : ''}${chord.alt ? '⌥' : ''}${chord.shift ? '⇧' : ''}${key === 'Enter' ? '↩' : key}`;
  return [chord.mod ? 'Ctrl' : '', chord.alt ? 'Alt' : '', chord.shift ? 'Shift' : '', key].filter(Boolean).join('+');
}

/** Electron's accelerator for a chord, e.g. `CmdOrCtrl+Shift+D`. */
export function acceleratorOf(chord: KeyChord): string {
  const key = chord.key.length === 1 ? chord.key.toUpperCase() : chord.key === 'Enter' ? 'Return' : chord.key;
  return [chord.mod ? 'CmdOrCtrl' : '', chord.alt ? 'Alt' : '', chord.shift ? 'Shift' : '', key].filter(Boolean).join('+');
}

/** The fields of a keyboard event that matter here (so this stays testable without a DOM). */
export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

/** Whether a key press is this chord on this platform. A chord without Shift on a shifted symbol (`?`) ignores Shift. */
export function matchesChord(press: KeyPress, chord: KeyChord, platform: Platform): boolean {
  const mod = platform === 'mac' ? press.metaKey : press.ctrlKey;
  const otherMod = platform === 'mac' ? press.ctrlKey : press.metaKey;
  if (mod !== (chord.mod === true) || otherMod) return false;
  if (press.altKey !== (chord.alt === true)) return false;
  const symbol = chord.key.length === 1 && !/[a-z0-9]/i.test(chord.key);
  if (!symbol && press.shiftKey !== (chord.shift === true)) return false;
  return press.key.toLowerCase() === chord.key.toLowerCase();
}

/** The window-level shortcut a key press means, if any; `typing` is true while focus is in a text field. */
export function shortcutFor(press: KeyPress, platform: Platform, typing: boolean): Shortcut | undefined {
  return SHORTCUTS.find((shortcut) => !shortcut.local && (shortcut.inFields || !typing) && matchesChord(press, shortcut.chord, platform));
}
