import { useEffect, useState } from 'react';
import { useDialogTurn } from '../dialogs/dialog-coordinator';
import { notify } from '../notifications/notification-store';
import { ConfigChanges } from './ConfigChanges';
import { FindConfigsDialog } from './FindConfigsDialog';
import { ImportDialog } from './ImportDialog';
import { useFindConfigsStore } from './find-configs-store';
import { useImportStore } from './import-store';

/**
 * Makes the whole window a drop target for MCP config files, and shows "Find my configs" and the import preview (the
 * result of an import, or why it failed, is a notification).
 */
export function ImportController() {
  const { preview, busy, importFiles } = useImportStore();
  // A preview for a file dropped (or opened from the OS) while another dialog is open waits for it to close.
  const turn = useDialogTurn('import-preview', preview !== undefined);
  const finding = useFindConfigsStore((state) => state.open);
  useEffect(() => {
    if (turn.waiting) notify('info', 'The import preview opens when you close the dialog that is open now.');
  }, [turn.waiting]);
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
      <ConfigChanges />
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
      {finding && <FindConfigsDialog />}
      {preview && turn.mayShow && <ImportDialog key={preview.planId} preview={preview} />}
    </>
  );
}
