import express from 'express';
import type { ApiEventName } from '../../../src-shared/api-contract';
import type { LifecycleEvent } from '../../../src-shared/events';
import { invokeApi, type ApiHandlers } from '../api/api-handlers';
import { DEFAULT_EVENT_QUEUE_LIMITS, type EventQueueLimits } from '../events/bounded-event-queue';
import type { RunningProxy } from '../proxy/proxy-server';
import { openSseWriter } from '../proxy/sse-writer';

/** What the bridge needs once the services are up. */
export interface WebBridgeServices {
  handlers: ApiHandlers;
  proxy: RunningProxy;
  /** Subscribes to the api's events; returns the unsubscribe function. */
  subscribe(listener: (name: ApiEventName, payload: unknown) => void): () => void;
}

/**
 * Web mode's stand-in for IPC: the same api contract over HTTP, behind the proxy's token and Host/Origin guards.
 * `POST /bridge/invoke/:method` answers an ApiResult; `GET /bridge/events?owner=…` streams the api's events, and
 * when that stream ends (the page was closed or reloaded) every session the owner opened is closed. A page that
 * reads slowly has its events queued up to `eventQueue`, then gets a `dropped` notice where they were dropped.
 */
export function mountWebBridge(app: express.Express, services: () => WebBridgeServices, eventQueue: EventQueueLimits = DEFAULT_EVENT_QUEUE_LIMITS): void {
  app.post('/bridge/invoke/:method', express.json({ limit: '16mb' }), (req, res) => {
    const body = (req.body ?? {}) as { input?: unknown };
    invokeApi(services().handlers, String(req.params.method), body.input).then(
      (result) => res.status(result.ok || result.error.code !== 'unknown-method' ? 200 : 404).json(result),
      (error: unknown) => res.status(500).json({ ok: false, error: { code: 'internal', message: String(error) } }),
    );
  });
  app.get('/bridge/events', (req, res) => {
    const owner = typeof req.query.owner === 'string' && req.query.owner.length >= 8 ? req.query.owner : undefined;
    const { proxy, subscribe } = services();
    const stream = openSseWriter(req, res, eventQueue);
    // Lifecycle events carry their seq as the SSE id, so a `dropped` notice can name the range it stands for.
    stream.onClose(subscribe((name, payload) => stream.send(payload, { event: name, id: name === 'lifecycle' ? (payload as LifecycleEvent).seq : undefined })));
    if (owner) stream.onClose(() => void proxy.sessions.closeOwnedBy(owner, 'client-disconnected'));
  });
}
