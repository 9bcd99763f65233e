import { platformOf, type Platform } from '../../../src-shared/shortcuts';

/** This machine's platform for shortcuts: Cmd on macOS, Ctrl elsewhere. */
export const PLATFORM: Platform = platformOf(`${navigator.platform} ${navigator.userAgent}`);

/** Whether focus is somewhere typing goes (a text field, a select, an editable element). */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) return !['button', 'checkbox', 'radio', 'submit', 'reset', 'range', 'color', 'file'].includes(target.type);
  return false;
}
