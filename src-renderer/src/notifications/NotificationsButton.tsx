import { useEffect, useRef, useState } from 'react';
import { useNotificationStore } from './notification-store';

const TIME = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** The toolbar's Notifications button (with how many arrived since it was last opened) and the list it opens. */
export function NotificationsButton() {
  const history = useNotificationStore((state) => state.history);
  const unseen = useNotificationStore((state) => state.unseen);
  const markSeen = useNotificationStore((state) => state.markSeen);
  const clear = useNotificationStore((state) => state.clear);
  const [open, setOpen] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  const toggle = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    markSeen();
    const outside = (event: MouseEvent) => {
      if (!box.current?.contains(event.target as Node)) setOpen(false);
    };
    // Escape closes the list wherever focus is (Clear disables itself, which drops focus to the page).
    const escape = (event: KeyboardEvent) => {
      if (event.key !== 'Escape' || document.querySelector('[role="dialog"]')) return;
      setOpen(false);
      toggle.current?.focus();
    };
    document.addEventListener('mousedown', outside);
    document.addEventListener('keydown', escape);
    return () => {
      document.removeEventListener('mousedown', outside);
      document.removeEventListener('keydown', escape);
    };
  }, [open, markSeen, history.length]);

  return (
    <div className="notifications" ref={box}>
      <button ref={toggle} type="button" aria-expanded={open} aria-controls="notifications-list" onClick={() => setOpen(!open)}>
        Notifications{unseen > 0 && <span className="count-badge"> {unseen}</span>}
        {unseen > 0 && <span className="visually-hidden"> new</span>}
      </button>
      {open && (
        <section id="notifications-list" className="notifications-panel" aria-label="Notifications">
          <div className="notifications-head">
            <h2>Notifications</h2>
            <button
              type="button"
              disabled={history.length === 0}
              onClick={() => {
                clear();
                toggle.current?.focus();
              }}
            >
              Clear
            </button>
          </div>
          {history.length === 0 ? (
            <p className="muted">No notifications.</p>
          ) : (
            <ol className="notifications-items">
              {[...history].reverse().map((item) => (
                <li key={item.id} data-kind={item.kind}>
                  <time dateTime={new Date(item.at).toISOString()} className="muted">
                    {TIME.format(item.at)}
                  </time>{' '}
                  {item.kind === 'error' && <span className="badge badge-error">error</span>} {item.text}
                </li>
              ))}
            </ol>
          )}
        </section>
      )}
    </div>
  );
}
