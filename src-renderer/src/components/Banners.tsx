import { useAppStore } from '../store/app-store';
import { useRuntime } from '../runtime-context';

/**
 * Problems that concern the whole app: the saved catalog could not be read, the link to Patchbay is down, or the
 * start ended server processes an earlier run left behind.
 */
export function Banners() {
  const problem = useAppStore((state) => state.catalogProblem);
  const link = useAppStore((state) => state.link);
  const dropped = useAppStore((state) => state.eventsDropped);
  const startupNotices = useAppStore((state) => state.startupNotices);
  const runtime = useRuntime();
  return (
    <>
      {problem && (
        <div className="banner banner-error" role="alert">
          <strong>The saved catalog could not be read.</strong> {problem}
        </div>
      )}
      {link.status === 'refused' && (
        <div className="banner banner-error" role="alert">
          {link.error}. The access token is no longer valid: open the URL that npm run web printed.
        </div>
      )}
      {startupNotices && startupNotices.length > 0 && (
        <div className="banner banner-warning" role="status" aria-label="Left by an earlier run">
          {startupNotices.join(' ')}{' '}
          <button type="button" onClick={() => runtime.dismissStartupNotices()}>
            Dismiss
          </button>
        </div>
      )}
      {dropped && (
        <div className="banner banner-warning" role="status" aria-label="Events were dropped">
          Patchbay dropped {dropped.count} {dropped.count === 1 ? 'event' : 'events'} because this window fell behind ({dropped.reason}). The
          server list was refreshed; the timeline and consoles miss what was dropped.{' '}
          <button type="button" onClick={() => runtime.dismissDroppedNotice()}>
            Dismiss
          </button>
        </div>
      )}
      {link.status === 'reconnecting' && (
        <div className="banner banner-warning" role="status">
          Lost the connection to Patchbay{link.error ? ` (${link.error})` : ''}; reconnecting… Servers were disconnected.
        </div>
      )}
    </>
  );
}
