import type { DroppedNotice } from '../../../src-shared/events';
import type { LinkState } from '../api/event-stream';
import { notify, withdrawNotice } from './notification-store';

/*
 * What concerns the whole app, said through the notification store like everything else: errors (the saved catalog
 * unreadable, the link to Patchbay lost or refused) stay until dismissed, the rest fades; all stay in the list. A
 * lost link's error is withdrawn from the screen once the link is back, which a fading notice then says.
 */

const LINK_KEY = 'link';

export function noticeCatalogProblem(problem: string | undefined): void {
  if (problem) notify('error', `The saved catalog could not be read. ${problem}`, { key: 'catalog' });
}

/** What the start did that the user should hear of once (server processes a crashed run left, ended). */
export function noticeStartup(notices: readonly string[]): void {
  if (notices.length > 0) notify('info', `Left by an earlier run: ${notices.join(' ')}`);
}

export function noticeDropped(notice: DroppedNotice): void {
  notify(
    'info',
    `Patchbay dropped ${notice.count} ${notice.count === 1 ? 'event' : 'events'} because this window fell behind (${notice.reason}). The server list was refreshed; the timeline and consoles miss what was dropped.`,
  );
}

/** Follows the link's state changes (once the app is up: before that the start-up screen says it). */
export function createLinkNotices(): (link: LinkState) => void {
  let lost = false;
  return (link) => {
    if (link.status === 'reconnecting') {
      // Said once per outage: every retry reports the state again, with and without its error.
      if (lost) return;
      lost = true;
      notify('error', `Lost the connection to Patchbay${link.error ? ` (${link.error})` : ''}; reconnecting… Servers were disconnected.`, { key: LINK_KEY });
    } else if (link.status === 'refused') {
      lost = true;
      notify('error', `${link.error ?? 'Patchbay refused this page'}. The access token is no longer valid: open the URL that npm run web printed.`, { key: LINK_KEY });
    } else if (link.status === 'open' && lost) {
      lost = false;
      withdrawNotice(LINK_KEY);
      notify('success', 'Reconnected to Patchbay.');
    }
  };
}
