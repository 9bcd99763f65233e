import type { ServerMessageSink } from '../mcp/client-setup';
import { useAppStore } from '../store/app-store';
import { answerRoots, connectionClosed, connectionOpened, forgetServers, receiveNotification, receiveServerRequest } from './inspector-store';

let watchingCatalog = false;

/** Servers that leave the catalog take their inspector state (roots, drafts) with them. Started with the first connection. */
function watchCatalog(): void {
  if (watchingCatalog) return;
  watchingCatalog = true;
  useAppStore.subscribe((state, previous) => {
    if (state.catalog !== previous.catalog) forgetServers(new Set(state.catalog.map((entry) => entry.name)));
  });
}

/** Server requests and notifications of every connection go to the inspector's store. */
export const inspectorSink: ServerMessageSink = {
  opened: (server, client) => {
    watchCatalog();
    connectionOpened(server, client);
  },
  closed: connectionClosed,
  createMessage: (server, client, params, origin) => receiveServerRequest(server, client, { kind: 'sampling', params }, origin),
  elicit: (server, client, params, origin) => receiveServerRequest(server, client, { kind: 'elicitation', params }, origin),
  roots: answerRoots,
  notify: receiveNotification,
};
