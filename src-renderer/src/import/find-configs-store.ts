import { create } from 'zustand';
import type { LocatedConfig } from '../../../src-shared/api-contract';
import { errorText } from '../error-text';
import { getApi } from '../api/get-api';
import { useImportStore } from './import-store';

interface FindConfigsState {
  /** The dialog is open. */
  open: boolean;
  /** Looking is under way. */
  searching: boolean;
  /** Every known location, found or not; undefined until the search has answered. */
  configs?: LocatedConfig[];
  error?: string;
  /** Looks in the known config locations (only now: nothing is read before the user asks) and opens the dialog. */
  find(): Promise<void>;
  /** Plans the import of the chosen files through the usual preview, and closes the dialog. */
  importChosen(paths: string[]): Promise<void>;
  close(): void;
}

/** "Find my configs": the user asks, main looks in each host's known places, the user ticks what to import. */
export const useFindConfigsStore = create<FindConfigsState>((set) => ({
  open: false,
  searching: false,
  async find() {
    set({ open: true, searching: true, configs: undefined, error: undefined });
    try {
      const { configs } = await getApi().findConfigs();
      set({ searching: false, configs });
    } catch (error) {
      set({ searching: false, error: errorText(error) });
    }
  },
  async importChosen(paths) {
    if (paths.length === 0) return;
    set({ open: false, configs: undefined });
    await useImportStore.getState().importPaths(paths);
  },
  close: () => set({ open: false, searching: false, configs: undefined, error: undefined }),
}));
