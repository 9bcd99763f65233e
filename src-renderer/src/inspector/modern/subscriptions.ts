/**
 * `subscriptions/listen` streams (modern era): opened with the notification types the user chose, the filter the
 * server agreed to (its `notifications/subscriptions/acknowledged`), every notification that arrives on the stream,
 * and Stop. The SDK's `client.listen` opens and closes them; its change notifications also reach the client's
 * registered handlers (list reloads, resource updates), as on a legacy connection.
 */
import type { Client, McpSubscription, SubscriptionFilter } from '@modelcontextprotocol/client';
import { addSubscription, MAX_SUBSCRIPTION_NOTIFICATIONS, patchSubscription, subscriptionsOf, useModernStore } from './modern-store';
import type { WireTap } from './wire-tap';

/** What the user picks: the list changes, and resource URIs (one per line) to hear updates of. */
export interface SubscriptionChoice {
  toolsListChanged: boolean;
  promptsListChanged: boolean;
  resourcesListChanged: boolean;
  /** URIs as typed, one per line. */
  resourceUris: string;
}

export const DEFAULT_CHOICE: SubscriptionChoice = { toolsListChanged: true, promptsListChanged: false, resourcesListChanged: false, resourceUris: '' };

/** The filter a choice asks for, or why it cannot be sent (nothing chosen). */
export function filterFromChoice(choice: SubscriptionChoice): { filter: SubscriptionFilter } | { error: string } {
  const uris = [...new Set(choice.resourceUris.split('\n').map((line) => line.trim()).filter(Boolean))];
  const filter: SubscriptionFilter = {
    ...(choice.toolsListChanged ? { toolsListChanged: true } : {}),
    ...(choice.promptsListChanged ? { promptsListChanged: true } : {}),
    ...(choice.resourcesListChanged ? { resourcesListChanged: true } : {}),
    ...(uris.length > 0 ? { resourceSubscriptions: uris } : {}),
  };
  if (Object.keys(filter).length === 0) return { error: 'Choose at least one kind of notification, or a resource URI' };
  return { filter };
}

/** A filter in words: "tool list changes, updates of fixture://counter". */
export function describeFilter(filter: SubscriptionFilter | undefined): string {
  if (!filter) return '—';
  const parts: string[] = [];
  if (filter.toolsListChanged) parts.push('tool list changes');
  if (filter.promptsListChanged) parts.push('prompt list changes');
  if (filter.resourcesListChanged) parts.push('resource list changes');
  if (filter.resourceSubscriptions?.length) parts.push(`updates of ${filter.resourceSubscriptions.join(', ')}`);
  return parts.length === 0 ? 'nothing' : parts.join(', ');
}

/** What the server left out of what was asked. */
export function refusedPart(requested: SubscriptionFilter, honored: SubscriptionFilter | undefined): string | undefined {
  if (!honored) return undefined;
  const refused: SubscriptionFilter = {
    ...(requested.toolsListChanged && !honored.toolsListChanged ? { toolsListChanged: true } : {}),
    ...(requested.promptsListChanged && !honored.promptsListChanged ? { promptsListChanged: true } : {}),
    ...(requested.resourcesListChanged && !honored.resourcesListChanged ? { resourcesListChanged: true } : {}),
  };
  const uris = (requested.resourceSubscriptions ?? []).filter((uri) => !(honored.resourceSubscriptions ?? []).includes(uri));
  if (uris.length > 0) refused.resourceSubscriptions = uris;
  return Object.keys(refused).length === 0 ? undefined : describeFilter(refused);
}

/** The SDK's handles of open streams, beside the store. */
const handles = new Map<number, McpSubscription>();
let nextId = 1;
let nextNotificationId = 1;

/** Opens a stream; its record shows it opening, then open (or why it failed), then its notifications. */
export async function openSubscription(server: string, client: Client, filter: SubscriptionFilter, tap: WireTap | undefined): Promise<void> {
  const id = nextId++;
  addSubscription(server, { id, client, requested: filter, state: 'opening', openedAt: Date.now(), notifications: [] });
  let stopListening: (() => void) | undefined;
  tap?.expectListen((listenId) => {
    patchSubscription(server, id, () => ({ listenId }));
    stopListening = tap.onSubscription(listenId, (notification) =>
      patchSubscription(server, id, (current) => ({
        notifications: [...current.notifications, { id: nextNotificationId++, at: Date.now(), method: notification.method, params: notification.params }].slice(-MAX_SUBSCRIPTION_NOTIFICATIONS),
      })),
    );
  });
  let subscription: McpSubscription;
  try {
    subscription = await client.listen(filter);
  } catch (error) {
    stopListening?.();
    patchSubscription(server, id, () => ({ state: 'failed', error: error instanceof Error ? error.message : String(error) }));
    return;
  }
  handles.set(id, subscription);
  patchSubscription(server, id, () => ({ state: 'open', honored: subscription.honoredFilter }));
  void subscription.closed.then((closedBy) => {
    handles.delete(id);
    stopListening?.();
    patchSubscription(server, id, () => ({ state: 'closed', closedBy }));
  });
}

/** Stops a stream (the SDK sends notifications/cancelled for it). */
export async function closeSubscription(id: number): Promise<void> {
  await handles.get(id)?.close();
}

/** Stops every open stream of a server (its view went away with its connection). */
export function closeSubscriptionsOf(server: string): void {
  for (const subscription of subscriptionsOf(useModernStore.getState(), server)) void closeSubscription(subscription.id);
}
