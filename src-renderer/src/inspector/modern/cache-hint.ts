import { formatDuration } from '../time-format';
import type { CacheHint } from './modern-store';

/** How a hint reads: "ttl 60 s · public · fresh for 42 s", "ttl 0 · private · stale at once". */
export function describeCacheHint(hint: CacheHint, now: number): string {
  const parts = [hint.ttlMs === undefined ? 'no ttl' : hint.ttlMs === 0 ? 'ttl 0' : `ttl ${formatDuration(hint.ttlMs)}`];
  if (hint.cacheScope) parts.push(hint.cacheScope);
  if (hint.ttlMs !== undefined) {
    const left = hint.receivedAt + hint.ttlMs - now;
    parts.push(hint.ttlMs === 0 ? 'stale at once' : left > 0 ? `fresh for ${formatDuration(left)}` : 'stale');
  }
  return parts.join(' · ');
}
