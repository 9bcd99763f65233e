/**
 * The owner id of this window. The proxy tags every session the window opens with it, and closes them all when
 * the window goes away (in web mode: when its event stream ends). An owner whose stream ended is refused for
 * good, so after the stream had to be reopened the window continues under a new owner.
 */
let current = crypto.randomUUID();
const listeners = new Set<(owner: string) => void>();

/** The owner id new sessions are opened under. */
export function currentOwner(): string {
  return current;
}

/** Switches to a fresh owner id (the old one's sessions are gone) and tells the listeners. */
export function renewOwner(): string {
  current = crypto.randomUUID();
  for (const listener of listeners) listener(current);
  return current;
}

/** Subscribes to owner changes; returns the unsubscribe function. */
export function onOwnerRenewed(listener: (owner: string) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
