import { createSseParser, type SseEvent } from './sse-parser';

/** The health of the event stream, for a banner: events flow only while it is `open`. */
export interface LinkState {
  /** `refused`: the server turned the token down (401/403); retrying cannot help, so it stops. */
  status: 'connecting' | 'open' | 'reconnecting' | 'refused';
  /** Why the last attempt failed or the stream ended. */
  error?: string;
  /** When the next attempt starts (ms since the epoch), while reconnecting. */
  retryAt?: number;
}

/** Options of `openEventStream`. */
export interface EventStreamOptions {
  /** The stream's URL for the next attempt (it names the current owner, which changes after a drop). */
  url(): string;
  /** Request headers, sent on every attempt (the bearer token). */
  headers: Record<string, string>;
  /** Called with every complete event. */
  onEvent(event: SseEvent): void;
  /** Called when the stream is open; `reopened` after it had been lost, so events may have been missed. */
  onOpen(reopened: boolean): void;
  /** Called once whenever an open stream is lost, before the first reconnect attempt. */
  onLost?(error: string): void;
  /** Called before every reconnect attempt (web mode switches to a new owner here). */
  beforeReconnect?(): void;
  onState?(state: LinkState): void;
  fetch?: typeof fetch;
  /** First reconnect delay; doubles per failed attempt up to `maxDelayMs`. Defaults 500 ms and 10 s. */
  initialDelayMs?: number;
  maxDelayMs?: number;
}

/** A running event stream. */
export interface EventStream {
  /** Resolves when the stream is open for the first time. */
  readonly opened: Promise<void>;
  /** Stops reading and reconnecting. */
  close(): void;
}

/**
 * Reads a Server-Sent Events stream over fetch (EventSource cannot send an Authorization header) and keeps it
 * open: when it ends or fails, it reconnects with exponential backoff and says so, since events sent while it
 * was away are lost and the reader must take a new snapshot.
 */
export function openEventStream(options: EventStreamOptions): EventStream {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const initialDelay = options.initialDelayMs ?? 500;
  const maxDelay = options.maxDelayMs ?? 10_000;
  const controller = new AbortController();
  let resolveOpened!: () => void;
  const opened = new Promise<void>((resolve) => (resolveOpened = resolve));

  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      controller.signal.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve();
      }, { once: true });
    });

  const run = async (): Promise<void> => {
    let everOpen = false;
    let failures = 0;
    const parser = createSseParser((event) => options.onEvent(event));
    while (!controller.signal.aborted) {
      if (failures > 0) options.beforeReconnect?.();
      options.onState?.({ status: everOpen || failures > 0 ? 'reconnecting' : 'connecting' });
      let wasOpen = false;
      let error: string;
      try {
        const response = await doFetch(options.url(), {
          headers: { ...options.headers, Accept: 'text/event-stream' },
          cache: 'no-store',
          signal: controller.signal,
        });
        if (response.status === 401 || response.status === 403) {
          options.onState?.({ status: 'refused', error: `Patchbay refused this page (HTTP ${response.status}${await describeBody(response)})` });
          return;
        }
        if (!response.ok || !response.body) {
          throw new Error(`the event stream answered HTTP ${response.status}${await describeBody(response)}`);
        }
        wasOpen = true;
        failures = 0;
        options.onState?.({ status: 'open' });
        options.onOpen(everOpen);
        if (!everOpen) resolveOpened();
        everOpen = true;
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          parser.push(value);
        }
        error = 'the event stream ended';
      } catch (caught) {
        error = caught instanceof Error ? caught.message : String(caught);
      }
      parser.reset();
      if (controller.signal.aborted) return;
      if (wasOpen) options.onLost?.(error);
      const delay = Math.min(maxDelay, initialDelay * 2 ** failures);
      failures += 1;
      options.onState?.({ status: 'reconnecting', error, retryAt: Date.now() + delay });
      await sleep(delay);
    }
  };
  void run();

  return {
    opened,
    close: () => controller.abort(),
  };
}

async function describeBody(response: Response): Promise<string> {
  try {
    const text = (await response.text()).trim();
    if (!text) return '';
    try {
      const body = JSON.parse(text) as { error?: { message?: unknown } };
      if (typeof body.error?.message === 'string') return `: ${body.error.message}`;
    } catch {
      // Not JSON: show the text itself, shortened.
    }
    return `: ${text.slice(0, 200)}`;
  } catch {
    return '';
  }
}
