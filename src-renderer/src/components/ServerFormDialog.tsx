import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { SECRET_MASK, sameServerSettings, type ServerEntry } from '../../../src-shared/catalog';
import { emptyForm, entryToForm, formToEntry, PROTOCOL_ERA_OPTIONS, TRANSPORT_OPTIONS, type FieldErrors, type FormField, type ServerFormValues } from '../forms/server-form';
import { Modal } from './Modal';

/** The fields in the order the form shows them. */
const FIELD_ORDER: readonly FormField[] = [
  'name',
  'transport',
  'command',
  'args',
  'env',
  'cwd',
  'url',
  'headers',
  'oauthClientId',
  'oauthClientSecret',
  'oauthScopes',
  'oauthClientMetadataUrl',
  'protocolEra',
  'disabled',
];

/** Secret values never reach the page: the form shows SECRET_MASK, and saving it untouched keeps the stored value. */
const SECRETS_HINT = `Names whose values are secret: encrypted at rest in the desktop app and never shown. "${SECRET_MASK}" keeps the saved value; type over it to replace it.`;

/** One line under the Protocol era select, saying what the chosen setting does. */
const ERA_HINTS: Record<ServerFormValues['protocolEra'], string> = {
  auto: 'Asks server/discover first and falls back to initialize when the server does not know it.',
  modern: 'Always speaks 2026-07-28 (server/discover, no session); a legacy-only server fails to connect.',
  legacy: 'Always starts with initialize and a session, even when the server also speaks the modern era.',
};

interface ServerFormDialogProps {
  /** The entry to edit; absent to add a new server. */
  entry?: ServerEntry;
  /** Live sessions of the server being edited: saving a change closes them, so the form asks first. */
  liveSessions?: number;
  /** Saves the entry; a rejection's message (main refused it) is shown in the form. */
  onSave(entry: ServerEntry): Promise<void>;
  onClose(): void;
}

/**
 * The Add/Edit server form. It validates with the catalog schema before sending, shows each problem next to
 * its field, and shows main's message if main refuses the entry (a duplicate name, for example).
 */
export function ServerFormDialog({ entry, liveSessions = 0, onSave, onClose }: ServerFormDialogProps) {
  const [values, setValues] = useState<ServerFormValues>(() => (entry ? entryToForm(entry) : emptyForm()));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [saveError, setSaveError] = useState<string>();
  const [saving, setSaving] = useState(false);
  // An edit that would close live sessions waits here until the user confirms or goes back.
  const [confirming, setConfirming] = useState<ServerEntry>();
  const id = useId();
  const label = entry ? 'Edit server' : 'Add server';
  const remote = values.transport !== 'stdio';

  const set = <K extends FormField>(field: K, value: ServerFormValues[K]) => {
    setValues((current) => ({ ...current, [field]: value }));
    // A field's message goes once the user changes it.
    setErrors((current) => (current[field] ? { ...current, [field]: undefined } : current));
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaveError(undefined);
    const result = formToEntry(values);
    if (!result.ok) {
      setErrors(result.errors);
      // Move focus to the first field with a problem, so keyboard and screen reader users land on it.
      const first = FIELD_ORDER.find((field) => result.errors[field]);
      if (first) document.getElementById(`${id}-${first}`)?.focus();
      return;
    }
    setErrors({});
    const changes = entry !== undefined && (entry.name !== result.entry.name || !sameServerSettings(entry, result.entry));
    if (changes && liveSessions > 0) {
      setConfirming(result.entry);
      return;
    }
    await save(result.entry);
  };

  const save = async (toSave: ServerEntry) => {
    setConfirming(undefined);
    setSaving(true);
    try {
      await onSave(toSave);
      onClose();
    } catch (caught) {
      setSaveError(caught instanceof Error ? caught.message : String(caught));
      setSaving(false);
    }
  };

  const field = (name: FormField, text: string, control: ReactNode, hint?: string) => (
    <div className="field">
      <label htmlFor={`${id}-${name}`}>{text}</label>
      {control}
      {hint && (
        <span className="field-hint" id={`${id}-${name}-hint`}>
          {hint}
        </span>
      )}
      {errors[name] && (
        <span className="field-error" role="alert" id={`${id}-${name}-error`}>
          {errors[name]}
        </span>
      )}
    </div>
  );

  const describedBy = (name: FormField, hint = false) =>
    [hint ? `${id}-${name}-hint` : '', errors[name] ? `${id}-${name}-error` : ''].filter(Boolean).join(' ') || undefined;
  const common = (name: FormField, hint = false) => ({
    id: `${id}-${name}`,
    'aria-invalid': errors[name] ? true : undefined,
    'aria-describedby': describedBy(name, hint),
  });

  return (
    <Modal label={label} onClose={onClose} className="modal-form">
      <form onSubmit={(event) => void submit(event)} noValidate>
        {field('name', 'Name', <input {...common('name')} value={values.name} onChange={(e) => set('name', e.target.value)} autoComplete="off" spellCheck={false} data-autofocus />)}
        {field(
          'transport',
          'Transport',
          <select {...common('transport')} value={values.transport} onChange={(e) => set('transport', e.target.value as ServerFormValues['transport'])}>
            {TRANSPORT_OPTIONS.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>,
        )}
        {!remote && (
          <>
            {field('command', 'Command', <input {...common('command', true)} value={values.command} onChange={(e) => set('command', e.target.value)} spellCheck={false} placeholder="npx" />, 'The program to start, found on PATH or by full path.')}
            {field('args', 'Arguments', <textarea {...common('args', true)} rows={3} value={values.args} onChange={(e) => set('args', e.target.value)} spellCheck={false} placeholder={'-y\n@modelcontextprotocol/server-everything'} />, 'One argument per line, exactly as given (no shell quoting).')}
            {field('env', 'Environment', <textarea {...common('env', true)} rows={3} value={values.env} onChange={(e) => set('env', e.target.value)} spellCheck={false} placeholder="API_KEY=…" />, 'KEY=VALUE per line; lines starting with # are ignored.')}
            {field('secrets', 'Secret variables', <input {...common('secrets', true)} value={values.secrets} onChange={(e) => set('secrets', e.target.value)} spellCheck={false} placeholder="API_KEY" />, SECRETS_HINT)}
            {field('cwd', 'Working directory', <input {...common('cwd', true)} value={values.cwd} onChange={(e) => set('cwd', e.target.value)} spellCheck={false} />, 'Optional.')}
          </>
        )}
        {remote && (
          <>
            {field(
              'url',
              'URL',
              <input {...common('url', true)} type="url" value={values.url} onChange={(e) => set('url', e.target.value)} spellCheck={false} placeholder="http://127.0.0.1:3001/mcp" />,
              'http(s)://…, or a local socket as VS Code writes it: unix:///path/to/server.sock#/mcp (pipe:///pipe/NAME#/mcp on Windows)',
            )}
            {field('headers', 'Headers', <textarea {...common('headers', true)} rows={3} value={values.headers} onChange={(e) => set('headers', e.target.value)} spellCheck={false} placeholder="Authorization: Bearer …" />, 'Name: value per line.')}
            {field('secrets', 'Secret headers', <input {...common('secrets', true)} value={values.secrets} onChange={(e) => set('secrets', e.target.value)} spellCheck={false} placeholder="Authorization" />, SECRETS_HINT)}
            <fieldset className="form-group">
              <legend>OAuth sign-in (optional)</legend>
              {field('oauthClientId', 'Client ID', <input {...common('oauthClientId', true)} value={values.oauthClientId} onChange={(e) => set('oauthClientId', e.target.value)} autoComplete="off" spellCheck={false} />, 'A client registered beforehand with the authorization server; else Patchbay registers one itself.')}
              {field('oauthClientSecret', 'Client secret', <input {...common('oauthClientSecret', true)} type="password" value={values.oauthClientSecret} onChange={(e) => set('oauthClientSecret', e.target.value)} autoComplete="off" spellCheck={false} />, `Only for a confidential client. Encrypted at rest in the desktop app; "${SECRET_MASK}" keeps the saved one.`)}
              {field('oauthScopes', 'Scopes', <input {...common('oauthScopes', true)} value={values.oauthScopes} onChange={(e) => set('oauthScopes', e.target.value)} spellCheck={false} placeholder="mcp:tools" />, "Space-separated; empty asks for what the server's challenge or metadata names.")}
              {field('oauthClientMetadataUrl', 'Client metadata document', <input {...common('oauthClientMetadataUrl', true)} type="url" value={values.oauthClientMetadataUrl} onChange={(e) => set('oauthClientMetadataUrl', e.target.value)} spellCheck={false} placeholder="https://example.com/client.json" />, 'An https Client ID Metadata Document, used as the client ID where the authorization server supports it.')}
            </fieldset>
          </>
        )}
        {field(
          'protocolEra',
          'Protocol era',
          <select {...common('protocolEra', true)} value={values.protocolEra} onChange={(e) => set('protocolEra', e.target.value as ServerFormValues['protocolEra'])}>
            {PROTOCOL_ERA_OPTIONS.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>,
          ERA_HINTS[values.protocolEra],
        )}
        <div className="field field-checkbox">
          <input id={`${id}-disabled`} type="checkbox" checked={values.disabled} onChange={(e) => set('disabled', e.target.checked)} />
          <label htmlFor={`${id}-disabled`}>Disabled</label>
        </div>
        {saveError && (
          <p className="form-error" role="alert">
            {saveError}
          </p>
        )}
        {confirming && entry ? (
          <div className="form-confirm" role="alert">
            <p>
              Saving disconnects {liveSessions} live {liveSessions === 1 ? 'session' : 'sessions'} of {entry.name}.
            </p>
            <div className="modal-actions">
              <button type="button" onClick={() => setConfirming(undefined)} data-autofocus>
                Keep editing
              </button>
              <button type="button" className="danger" onClick={() => void save(confirming)}>
                Save and disconnect
              </button>
            </div>
          </div>
        ) : (
          <div className="modal-actions">
            <button type="button" onClick={onClose}>
              Cancel
            </button>
            <button type="submit" className="primary" disabled={saving}>
              {saving ? 'Saving…' : 'Save'}
            </button>
          </div>
        )}
      </form>
    </Modal>
  );
}
