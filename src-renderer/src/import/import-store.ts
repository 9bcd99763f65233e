import { create } from 'zustand';
import type { ImportPreview } from '../../../src-shared/api-contract';
import { getApi } from '../api/get-api';
import { errorText } from '../error-text';
import { notify } from '../notifications/notification-store';

interface ImportState {
  /** The import waiting for the user's confirmation. */
  preview?: ImportPreview;
  /** Reading or applying is under way. */
  busy: boolean;
  /** Why applying failed, shown in the preview (a file that cannot be read at all is a notification). */
  error?: string;
  /** The preview's files read from disk by path: only those can be kept in sync. */
  watchablePaths: string[];
  /** Plans an import of files dropped or picked in the page. */
  importFiles(files: File[]): Promise<void>;
  /** Plans an import of files main was asked to open (File → Open, command line, second launch). */
  importPaths(paths: string[]): Promise<void>;
  /** Applies the import waiting for confirmation. */
  confirm(decisions: Parameters<ReturnType<typeof getApi>['applyImport']>[0]['decisions'], watch?: string[]): Promise<void>;
  dismiss(): void;
}

/**
 * The import flow: files become a preview (nothing is added yet), the user resolves name conflicts, and one
 * confirm applies it all or nothing.
 */
export const useImportStore = create<ImportState>((set, get) => {
  const plan = async (input: { paths?: string[]; files?: Array<{ name: string; text: string }> }) => {
    set({ busy: true, error: undefined });
    try {
      set({ preview: await getApi().planImport(input), busy: false, watchablePaths: input.paths ?? [] });
    } catch (error) {
      set({ busy: false });
      notify('error', `Import failed: ${errorText(error)}`);
    }
  };
  return {
    busy: false,
    watchablePaths: [],
    async importFiles(files) {
      if (files.length === 0) return;
      const api = getApi();
      // The desktop app reads files itself from their paths; a web page can only hand over their text.
      const paths = api.pathForFile ? files.map((file) => api.pathForFile!(file)).filter((path) => path) : [];
      if (paths.length === files.length) return plan({ paths });
      return plan({ files: await Promise.all(files.map(async (file) => ({ name: file.name, text: await file.text() }))) });
    },
    importPaths: (paths) => plan({ paths }),
    async confirm(decisions, watch = []) {
      const preview = get().preview;
      if (!preview) return;
      set({ busy: true, error: undefined });
      try {
        const result = await getApi().applyImport({ planId: preview.planId, decisions, ...(watch.length > 0 ? { watch } : {}) });
        const parts = [
          result.added.length && `added ${list(result.added)}`,
          result.renamed.length && `added ${list(result.renamed.map((rename) => `${rename.to} (was ${rename.from})`))}`,
          result.replaced.length && `replaced ${list(result.replaced)}`,
          result.skipped.length && `skipped ${list(result.skipped.map((skip) => skip.name))}`,
          watch.length && `keeping ${list(watch)} in sync`,
        ].filter(Boolean);
        set({ preview: undefined, busy: false });
        notify(parts.length ? 'success' : 'info', parts.length ? `Import done: ${parts.join('; ')}.` : 'Nothing was imported.');
      } catch (error) {
        set({ busy: false, error: errorText(error) });
      }
    },
    dismiss: () => set({ preview: undefined, error: undefined, busy: false }),
  };
});

function list(names: string[]): string {
  return names.map((name) => `"${name}"`).join(', ');
}
