import { useCallback, useState } from 'react';

/**
 * Sizes of the panels users resize (server list width, stderr console height, timeline detail width) and whether
 * the console is collapsed. They live in localStorage, not the settings store: they belong to this window's look,
 * must be known synchronously on the first render (no jump after an async load), and are not worth syncing or
 * exporting with the user's settings. A value that is missing, not a number or out of range falls back to the default.
 */
const PREFIX = 'patchbay.layout.';

export interface PanelSizeLimits {
  /** The size (px) before the user changed it, and after a reset. */
  initial: number;
  min: number;
  max: number;
}

export function clampSize(size: number, limits: PanelSizeLimits): number {
  return Math.round(Math.min(limits.max, Math.max(limits.min, size)));
}

function readStored(key: string): string | null {
  try {
    return localStorage.getItem(PREFIX + key);
  } catch {
    // Storage can be unavailable (privacy settings); sizes then last for the session only.
    return null;
  }
}

function writeStored(key: string, value: string | undefined): void {
  try {
    if (value === undefined) localStorage.removeItem(PREFIX + key);
    else localStorage.setItem(PREFIX + key, value);
  } catch {
    // See readStored.
  }
}

export function loadSize(key: string, limits: PanelSizeLimits): number {
  const raw = readStored(key);
  const stored = Number(raw);
  return raw !== null && raw !== '' && Number.isFinite(stored) ? clampSize(stored, limits) : limits.initial;
}

/**
 * A remembered panel size: `[size, set, reset]`; `set` clamps to the limits, `reset` goes back to the initial size.
 * Until the user sets a size it follows `initial`, which may change with the window (a short one starts smaller).
 */
export function usePanelSize(key: string, limits: PanelSizeLimits): [number, (size: number) => void, () => void] {
  const { initial, min, max } = limits;
  const [chosen, setChosen] = useState<number | undefined>(() => (readStored(key) === null ? undefined : loadSize(key, limits)));
  const set = useCallback(
    (next: number) => {
      const clamped = clampSize(next, { initial, min, max });
      setChosen(clamped);
      writeStored(key, String(clamped));
    },
    [key, initial, min, max],
  );
  const reset = useCallback(() => {
    setChosen(undefined);
    writeStored(key, undefined);
  }, [key]);
  return [chosen ?? initial, set, reset];
}

/** A remembered on/off choice (the console's collapsed state). */
export function usePanelFlag(key: string, initial: boolean): [boolean, (value: boolean) => void] {
  const [value, setValue] = useState(() => {
    const stored = readStored(key);
    return stored === null ? initial : stored === 'true';
  });
  const set = useCallback(
    (next: boolean) => {
      setValue(next);
      writeStored(key, String(next));
    },
    [key],
  );
  return [value, set];
}
