import { describe, expect, it } from 'vitest';
import { acceleratorOf, formatChord, platformOf, SHORTCUTS, shortcutFor, type KeyPress } from './shortcuts';

const press = (key: string, mods: Partial<Omit<KeyPress, 'key'>> = {}): KeyPress => ({ key, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods });

describe('shortcut table', () => {
  it('has no two shortcuts on the same chord', () => {
    const chords = SHORTCUTS.map((shortcut) => acceleratorOf(shortcut.chord));
    expect(new Set(chords).size).toBe(chords.length);
  });

  it('shows Cmd symbols on macOS and Ctrl names elsewhere', () => {
    const toggle = SHORTCUTS.find((shortcut) => shortcut.id === 'toggle-selected')!;
    expect(formatChord(toggle.chord, 'mac')).toBe('⌘⇧D');
    expect(formatChord(toggle.chord, 'other')).toBe('Ctrl+Shift+D');
    expect(acceleratorOf(toggle.chord)).toBe('CmdOrCtrl+Shift+D');
    expect(platformOf('MacIntel')).toBe('mac');
    expect(platformOf('darwin')).toBe('mac');
    expect(platformOf('Linux x86_64')).toBe('other');
  });

  it('uses Cmd on macOS and Ctrl elsewhere, never the other one', () => {
    expect(shortcutFor(press('D', { ctrlKey: true, shiftKey: true }), 'other', false)?.id).toBe('toggle-selected');
    expect(shortcutFor(press('D', { metaKey: true, shiftKey: true }), 'mac', false)?.id).toBe('toggle-selected');
    expect(shortcutFor(press('D', { ctrlKey: true, shiftKey: true }), 'mac', false)).toBeUndefined();
    expect(shortcutFor(press('d', { ctrlKey: true }), 'other', false)).toBeUndefined();
  });

  it('opens the sheet with ? (shifted or not) but not while typing', () => {
    expect(shortcutFor(press('?', { shiftKey: true }), 'other', false)?.id).toBe('show-shortcuts');
    expect(shortcutFor(press('?', { shiftKey: true }), 'other', true)).toBeUndefined();
    expect(shortcutFor(press('1', { ctrlKey: true }), 'other', true)?.id).toBe('view-servers');
  });

  it('opens the command palette with Cmd/Ctrl+K, also from a text field', () => {
    expect(shortcutFor(press('k', { ctrlKey: true }), 'other', true)?.id).toBe('open-palette');
    expect(shortcutFor(press('K', { metaKey: true }), 'mac', false)?.id).toBe('open-palette');
    expect(shortcutFor(press('k', { ctrlKey: true, shiftKey: true }), 'other', false)).toBeUndefined();
    const palette = SHORTCUTS.find((shortcut) => shortcut.id === 'open-palette')!;
    expect(formatChord(palette.chord, 'mac')).toBe('⌘K');
    expect(formatChord(palette.chord, 'other')).toBe('Ctrl+K');
    expect(acceleratorOf(palette.chord)).toBe('CmdOrCtrl+K');
  });

  it('leaves Run to the form that has focus', () => {
    expect(shortcutFor(press('Enter', { ctrlKey: true }), 'other', false)).toBeUndefined();
  });
});
