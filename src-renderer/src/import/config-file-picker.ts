import { useImportStore } from './import-store';

/** The files an import takes: MCP hosts' JSON/JSONC, YAML and TOML configs. */
const CONFIG_FILE_TYPES = '.json,.jsonc,.yaml,.yml,.toml,application/json';

/**
 * Opens the system's file picker for config files and plans an import of the ones picked (the preview then asks).
 * The toolbar's Import…, the empty state's Import config file… and the command palette all come here. Must be
 * called from a user's click or key press: browsers open pickers only then.
 */
export function pickConfigFiles(): void {
  const input = document.createElement('input');
  input.type = 'file';
  input.multiple = true;
  input.accept = CONFIG_FILE_TYPES;
  input.hidden = true;
  input.setAttribute('aria-label', 'Config files to import');
  const done = () => input.remove();
  input.addEventListener(
    'change',
    () => {
      const files = [...(input.files ?? [])];
      done();
      void useImportStore.getState().importFiles(files);
    },
    { once: true },
  );
  input.addEventListener('cancel', done, { once: true });
  document.body.append(input);
  input.click();
}
