import { useCallback, useSyncExternalStore } from 'react';
import type { TimelineStore } from './timeline-store';

const NOT_SUBSCRIBED = () => () => undefined;

/**
 * The store's version, re-rendering the caller on every (batched) change while `active`; a hidden view passes
 * false and costs nothing while messages arrive.
 */
export function useTimelineVersion(store: TimelineStore, active: boolean): number {
  const subscribe = useCallback((listener: () => void) => (active ? store.subscribe(listener) : NOT_SUBSCRIBED()), [store, active]);
  return useSyncExternalStore(subscribe, store.getVersion);
}
