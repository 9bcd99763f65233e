import { useEffect, useRef, useState, type FormEvent } from 'react';
import { DEFAULT_IDLE_TIMEOUT_SECONDS, MAX_IDLE_TIMEOUT_S } from '../../../src-shared/settings';
import { getApi } from '../api/get-api';
import { errorText } from '../error-text';
import { Modal } from './Modal';
import { DialogFooter } from './DialogFooter';

/** "30 min", "45 s", "never": the idle timeout as people say it. */
export function describeIdleTimeout(seconds: number): string {
  if (seconds === 0) return 'never';
  if (seconds >= 3600 && seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds >= 60 && seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

/** The app's settings: for now how long a quiet session (and its server process) is kept. Saved at once, applied at once. */
export function SettingsDialog({ onClose }: { onClose(): void }) {
  const [text, setText] = useState<string>();
  const [error, setError] = useState<string>();
  const [saving, setSaving] = useState(false);
  const field = useRef<HTMLInputElement>(null);
  const loaded = text !== undefined;

  // The field is disabled until the settings arrive; then it takes the focus, the user's next action.
  useEffect(() => {
    if (loaded) field.current?.focus();
  }, [loaded]);

  useEffect(() => {
    let current = true;
    getApi()
      .getSettings()
      .then(
        (settings) => current && setText(String(settings.idleTimeoutSeconds)),
        (caught: unknown) => current && setError(errorText(caught)),
      );
    return () => {
      current = false;
    };
  }, []);

  const seconds = text === undefined || text.trim() === '' ? Number.NaN : Number(text);
  const valid = Number.isFinite(seconds) && seconds >= 0 && seconds <= MAX_IDLE_TIMEOUT_S;

  const save = (event: FormEvent) => {
    event.preventDefault();
    if (!valid) return;
    setSaving(true);
    getApi()
      .updateSettings({ idleTimeoutSeconds: seconds })
      .then(
        () => onClose(),
        (caught: unknown) => {
          setSaving(false);
          setError(errorText(caught));
        },
      );
  };

  return (
    <Modal label="Settings" onClose={onClose}>
      <form onSubmit={save}>
        <label className="field">
          <span>Close a session after this many seconds without a message (0: never)</span>
          <input
            ref={field}
            type="number"
            min={0}
            max={MAX_IDLE_TIMEOUT_S}
            step="any"
            inputMode="decimal"
            value={text ?? ''}
            disabled={text === undefined}
            aria-invalid={text !== undefined && !valid}
            aria-describedby="idle-timeout-hint"
            onChange={(event) => setText(event.target.value)}
          />
        </label>
        <p id="idle-timeout-hint" className="field-hint">
          {valid
            ? `Quiet sessions close, and their server processes end, after ${describeIdleTimeout(seconds)}. The default is ${describeIdleTimeout(DEFAULT_IDLE_TIMEOUT_SECONDS)}.`
            : `Give a number of seconds from 0 (never) to ${MAX_IDLE_TIMEOUT_S} (a week).`}
        </p>
        <DialogFooter errors={error}>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={!valid || saving}>
            Save
          </button>
        </DialogFooter>
      </form>
    </Modal>
  );
}
