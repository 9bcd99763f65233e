import { useEffect, useState } from 'react';
import { FindConfigsDialog } from './FindConfigsDialog';
import { ImportDialog } from './ImportDialog';
import { useFindConfigsStore } from './find-configs-store';
import { useImportStore } from './import-store';

/**
 * Makes the whole window a drop target for MCP config files, and shows "Find my configs", the import preview, errors
 * and the summary of the last import.
 */
export function ImportController() {
  const { preview, error, summary, busy, importFiles, dismiss } = useImportStore();
  const finding = useFindConfigsStore((state) => state.open);
  const [dragging, setDragging] = useState(false);

  useEffect(() => {
    const hasFiles = (event: DragEvent) => [...(event.dataTransfer?.types ?? [])].includes('Files');
    const over = (event: DragEvent) => {
      if (!hasFiles(event)) return;
      event.preventDefault();
      if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
      setDragging(true);
    };
    const leave = (event: DragEvent) => {
      if (event.relatedTarget === null) setDragging(false);
    };
    const drop = (event: DragEvent) => {
      if (!hasFiles(event)) return;
      event.preventDefault();
      setDragging(false);
      void importFiles([...(event.dataTransfer?.files ?? [])]);
    };
    window.addEventListener('dragover', over);
    window.addEventListener('dragleave', leave);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragover', over);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('drop', drop);
    };
  }, [importFiles]);

  return (
    <>
      {dragging && (
        <div className="drop-overlay" aria-hidden="true">
          Drop MCP config files to import their servers
        </div>
      )}
      {busy && !preview && (
        <div className="banner" role="status">
          <span className="spinner" aria-hidden="true" /> Reading config files…
        </div>
      )}
      {!preview && error && (
        <div className="banner banner-error" role="alert">
          <span>Import failed: {error}</span>{' '}
          <button type="button" onClick={dismiss}>
            Dismiss
          </button>
        </div>
      )}
      {summary && (
        <div className="banner" role="status">
          <span>{summary}</span>{' '}
          <button type="button" onClick={dismiss}>
            Dismiss
          </button>
        </div>
      )}
      {finding && <FindConfigsDialog />}
      {preview && <ImportDialog key={preview.planId} preview={preview} />}
    </>
  );
}
