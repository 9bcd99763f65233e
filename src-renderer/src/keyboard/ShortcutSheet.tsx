import { formatChord, SHORTCUTS } from '../../../src-shared/shortcuts';
import { Modal } from '../components/Modal';
import { PLATFORM } from './platform';

/** The `?` sheet: every shortcut from the shared table, with this platform's keys. */
export function ShortcutSheet({ onClose }: { onClose(): void }) {
  return (
    <Modal label="Keyboard shortcuts" onClose={onClose}>
      <table className="shortcut-table">
        <thead>
          <tr>
            <th scope="col">Action</th>
            <th scope="col">Keys</th>
          </tr>
        </thead>
        <tbody>
          {SHORTCUTS.map((shortcut) => (
            <tr key={shortcut.id}>
              <td>{shortcut.label}</td>
              <td>
                <kbd>{formatChord(shortcut.chord, PLATFORM)}</kbd>
              </td>
            </tr>
          ))}
          <tr>
            <td>Move through the server list</td>
            <td>
              <kbd>↑</kbd> <kbd>↓</kbd> <kbd>Home</kbd> <kbd>End</kbd>, or type a name
            </td>
          </tr>
        </tbody>
      </table>
      <div className="modal-actions">
        <button type="button" className="primary" onClick={onClose} data-autofocus>
          Close
        </button>
      </div>
    </Modal>
  );
}
