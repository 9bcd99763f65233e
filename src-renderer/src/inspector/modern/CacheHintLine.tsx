import { useNow } from '../../components/use-now';
import { describeCacheHint } from './cache-hint';
import { cacheHintsOf, cacheKey, useModernStore } from './modern-store';

/** The cache hint (ttlMs, cacheScope) the last `method` result (for a read: of `uri`) carried, when it carried one. */
export function CacheHintLine({ server, method, uri }: { server: string; method: string; uri?: string }) {
  const hint = useModernStore((state) => cacheHintsOf(state, server)[cacheKey(method, uri)]);
  const now = useNow(1000);
  if (!hint) return null;
  return (
    <p className="modern-cache-hint muted" data-testid="cache-hint" title={`Cache hint of the last ${method} result (ttlMs, cacheScope), received ${new Date(hint.receivedAt).toLocaleTimeString()}`}>
      Cache: {describeCacheHint(hint, now)}
    </p>
  );
}
