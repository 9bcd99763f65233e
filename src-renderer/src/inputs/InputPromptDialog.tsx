import { useEffect, useState, type FormEvent } from 'react';
import type { InputDefinition, InputPrompt } from '../../../src-shared/inputs';
import { Modal } from '../components/Modal';
import { useDialogTurn } from '../dialogs/dialog-coordinator';
import { useInputPromptStore } from './input-prompt-store';

/** Where "Remember" keeps the answers, said where the user decides. */
function rememberText(storage: InputPrompt['storage']): string {
  return storage === 'keychain'
    ? 'Remember for this server (sealed with the OS keychain)'
    : 'Remember for this server until Patchbay stops (web mode has no OS keychain: nothing is written to disk)';
}

function initialValue(input: InputDefinition): string {
  if (input.type === 'pickString') return input.default !== undefined && input.options.includes(input.default) ? input.default : input.options[0]!;
  return input.default ?? '';
}

/**
 * Asks for a server's missing VS Code inputs before it connects, as VS Code does: each input's description, a
 * hidden field for a password, a pick list with its default selected. All of one server's inputs at once; servers
 * queue, one dialog at a time, and wait while another dialog is open.
 */
export function InputPromptDialog() {
  const pending = useInputPromptStore((state) => state.queue[0]);
  const { mayShow } = useDialogTurn('input-prompt', pending !== undefined);
  if (!pending || !mayShow) return null;
  // A new key per prompt: each server's answers start from its own defaults.
  return <InputForm key={`${pending.prompt.server}:${useInputPromptStore.getState().queue.length}`} prompt={pending.prompt} reply={pending.reply} />;
}

function InputForm({ prompt, reply }: { prompt: InputPrompt; reply: (answer: { answers: Record<string, string>; remember: boolean } | undefined) => void }) {
  const [values, setValues] = useState<Record<string, string>>(() => Object.fromEntries(prompt.inputs.map((input) => [input.id, initialValue(input)])));
  const [remember, setRemember] = useState(false);
  useEffect(() => setRemember(false), [prompt.server]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    reply({ answers: values, remember });
  };

  return (
    <Modal label={`Inputs for ${prompt.server}`} title={`“${prompt.server}” needs ${prompt.inputs.length === 1 ? 'an input' : `${prompt.inputs.length} inputs`}`} onClose={() => reply(undefined)}>
      <form onSubmit={submit}>
        <p className="field-hint">The server's configuration uses these inputs; they are filled in when it starts.</p>
        {prompt.inputs.map((input, index) => {
          const fieldId = `input-prompt-${index}`;
          const label = input.description ?? input.id;
          return (
            <div className="field" key={input.id}>
              <label htmlFor={fieldId}>{label}</label>
              {input.type === 'pickString' ? (
                <select
                  id={fieldId}
                  value={values[input.id]}
                  aria-describedby={`${fieldId}-hint`}
                  onChange={(event) => setValues({ ...values, [input.id]: event.target.value })}
                  data-autofocus={index === 0 ? true : undefined}
                >
                  {input.options.map((option) => (
                    <option key={option} value={option}>
                      {option}
                    </option>
                  ))}
                </select>
              ) : (
                <input
                  id={fieldId}
                  type={input.password ? 'password' : 'text'}
                  autoComplete="off"
                  spellCheck={false}
                  value={values[input.id]}
                  aria-describedby={`${fieldId}-hint`}
                  onChange={(event) => setValues({ ...values, [input.id]: event.target.value })}
                  data-autofocus={index === 0 ? true : undefined}
                />
              )}
              <span id={`${fieldId}-hint`} className="field-hint mono">{`\${input:${input.id}}${input.type === 'promptString' && input.password ? ' (secret)' : ''}`}</span>
            </div>
          );
        })}
        <div className="field field-checkbox">
          <input id="input-prompt-remember" type="checkbox" checked={remember} onChange={(event) => setRemember(event.target.checked)} />
          <label htmlFor="input-prompt-remember">{rememberText(prompt.storage)}</label>
        </div>
        <div className="modal-actions">
          <button type="button" onClick={() => reply(undefined)}>
            Cancel
          </button>
          <button type="submit" className="primary">
            Connect
          </button>
        </div>
      </form>
    </Modal>
  );
}
