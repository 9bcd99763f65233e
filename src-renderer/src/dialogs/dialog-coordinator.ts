import { useEffect, useId } from 'react';
import { create } from 'zustand';

/*
 * Two dialogs never stack. Every Modal says it is open; a dialog the user did not open from the window itself (an
 * import preview for a file dropped or opened from the OS while Export, Settings or Add server is up) asks for its
 * turn and waits until no other dialog is open, first come first served. Nothing the user was doing is replaced.
 */

interface DialogState {
  /** The Modals on screen now (one id per mounted Modal). */
  open: string[];
  /** Dialogs that want to show, in the order they asked. */
  waiting: string[];
  /** The waiting dialog now on screen, if any. */
  showing?: string;
  setOpen(id: string, open: boolean): void;
  setWanted(id: string, wanted: boolean): void;
}

function settle(state: Pick<DialogState, 'open' | 'waiting' | 'showing'>): Partial<DialogState> {
  if (state.showing && !state.waiting.includes(state.showing)) return settle({ ...state, showing: undefined });
  if (!state.showing && state.open.length === 0 && state.waiting.length > 0) return { ...state, showing: state.waiting[0] };
  return state;
}

export const useDialogStore = create<DialogState>((set) => ({
  open: [],
  waiting: [],
  setOpen: (id, open) =>
    set((state) => settle({ ...state, open: open ? [...state.open.filter((other) => other !== id), id] : state.open.filter((other) => other !== id) })),
  setWanted: (id, wanted) =>
    set((state) => settle({ ...state, waiting: wanted ? (state.waiting.includes(id) ? state.waiting : [...state.waiting, id]) : state.waiting.filter((other) => other !== id) })),
}));

/** Called by Modal: this dialog is on screen while mounted. */
export function useRegisterDialog(): void {
  const id = useId();
  const setOpen = useDialogStore((state) => state.setOpen);
  useEffect(() => {
    setOpen(id, true);
    return () => setOpen(id, false);
  }, [id, setOpen]);
}

/**
 * For a dialog that opens by itself: `wanted` says it has something to show; the answer says whether it may show now
 * (no other dialog open and none asked before it); `waiting` is true while another dialog keeps it back.
 */
export function useDialogTurn(key: string, wanted: boolean): { mayShow: boolean; waiting: boolean } {
  const setWanted = useDialogStore((state) => state.setWanted);
  const showing = useDialogStore((state) => state.showing);
  const othersOpen = useDialogStore((state) => state.open.length > 0 || (state.showing !== undefined && state.showing !== key));
  useEffect(() => {
    setWanted(key, wanted);
  }, [key, wanted, setWanted]);
  useEffect(() => () => setWanted(key, false), [key, setWanted]);
  const mayShow = wanted && showing === key;
  // Not "waiting" in the instant before the store has granted a turn nothing stands in the way of.
  return { mayShow, waiting: wanted && !mayShow && othersOpen };
}
