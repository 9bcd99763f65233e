import type { Client, Tool } from '@modelcontextprotocol/client';
import { buildAllowAttribute, type McpUiDisplayMode } from '@modelcontextprotocol/ext-apps/app-bridge';
import { useCallback, useEffect, useRef, useState } from 'react';
import { CSP_VIOLATION_MESSAGE, CspViolationSchema, type CspViolation, type OpenedAppDocument } from '../../../src-shared/apps';
import { getApi } from '../api/get-api';
import { Modal } from '../components/Modal';
import { DialogFooter } from '../components/DialogFooter';
import { errorText } from '../error-text';
import { AppDebugPanel } from './AppDebugPanel';
import { connectAppBridge, DISPLAY_MODES, type AppAsk, type AppCall, type ConnectedAppBridge } from './app-bridge-host';
import { readAppResource, type AppResource } from './app-resource';
import type { BridgeLogEntry } from './bridge-log';

/** Scripts only: no allow-same-origin (the document's origin is opaque), no popups, no top navigation, no forms. */
export const APP_IFRAME_SANDBOX = 'allow-scripts';

const MIN_HEIGHT = 80;
const MAX_HEIGHT = 4000;
/** The debugging panel keeps this many bridge messages and violations (the oldest go first). */
const KEPT_ENTRIES = 500;

interface AppViewProps {
  server: string;
  client: Client;
  tool: Tool;
  resourceUri: string;
  call: AppCall;
}

type Loaded = { resource: AppResource; document: OpenedAppDocument };

/**
 * An MCP App: the tool's ui:// resource rendered in a sandboxed iframe served from the sandbox origin, driven over the
 * extension's bridge, with its debugging panel beside it.
 */
export function AppView({ server, client, tool, resourceUri, call }: AppViewProps) {
  const [generation, setGeneration] = useState(0);
  const [loaded, setLoaded] = useState<Loaded>();
  const [problem, setProblem] = useState<string>();
  const [log, setLog] = useState<BridgeLogEntry[]>([]);
  const [violations, setViolations] = useState<CspViolation[]>([]);
  const [asks, setAsks] = useState<AppAsk[]>([]);
  const [height, setHeight] = useState(320);
  const [mode, setMode] = useState<McpUiDisplayMode>('inline');
  const [appName, setAppName] = useState<string>();
  const frameRef = useRef<HTMLIFrameElement>(null);
  const bridgeRef = useRef<ConnectedAppBridge>(undefined);

  // Read the resource through the server's client and hand it to the sandbox host; again on Reload.
  useEffect(() => {
    let current = true;
    setLoaded(undefined);
    setProblem(undefined);
    setLog([]);
    setViolations([]);
    setAppName(undefined);
    void (async () => {
      try {
        const resource = await readAppResource(client, resourceUri);
        const document = await getApi().openAppDocument({ server, resourceUri, html: resource.html, meta: resource.meta });
        if (current) setLoaded({ resource, document });
      } catch (error) {
        if (current) setProblem(`The app could not be opened: ${errorText(error)}`);
      }
    })();
    return () => {
      current = false;
    };
  }, [client, server, resourceUri, generation]);

  // The bridge starts before the document loads, so the app's ui/initialize finds it listening.
  useEffect(() => {
    const frame = frameRef.current?.contentWindow;
    if (!loaded || !frame) return;
    let current = true;
    const startedAt = performance.now();
    const onViolation = (event: MessageEvent): void => {
      if (event.source !== frame || typeof event.data !== 'object' || event.data === null) return;
      const parsed = CspViolationSchema.safeParse((event.data as Record<string, unknown>)[CSP_VIOLATION_MESSAGE]);
      if (parsed.success) setViolations((list) => [...list, parsed.data].slice(-KEPT_ENTRIES));
    };
    window.addEventListener('message', onViolation);
    void connectAppBridge({
      client,
      frame,
      tool,
      call,
      startedAt,
      theme: window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light',
      platform: window.patchbay ? 'desktop' : 'web',
      hooks: {
        log: (entry) => current && setLog((list) => [...list, entry].slice(-KEPT_ENTRIES)),
        ask: (request) => (current ? setAsks((list) => [...list, request]) : request.answer(false)),
        resize: ({ height: next }) => current && next !== undefined && setHeight(Math.min(MAX_HEIGHT, Math.max(MIN_HEIGHT, Math.ceil(next)))),
        displayMode: (next) => current && setMode(next),
        initialized: (name) => current && setAppName(name ?? 'unnamed app'),
      },
    }).then(
      (connected) => {
        if (current) bridgeRef.current = connected;
        else void connected.bridge.close();
      },
      (error: unknown) => current && setProblem(`The app's bridge could not start: ${errorText(error)}`),
    );
    return () => {
      current = false;
      window.removeEventListener('message', onViolation);
      void bridgeRef.current?.bridge.close();
      bridgeRef.current = undefined;
    };
    // The call's input and result are sent once per document; a new call remounts this view.
  }, [loaded]);

  const reload = useCallback(() => {
    for (const ask of asks) ask.answer(false);
    setAsks([]);
    setMode('inline');
    setGeneration((value) => value + 1);
  }, [asks]);

  const answer = (allowed: boolean) => {
    const [first, ...rest] = asks;
    first?.answer(allowed);
    setAsks(rest);
  };

  return (
    <section className="app-view" aria-label={`App of ${tool.name}`}>
      <div className={`app-stage app-mode-${mode}`} data-testid="app-stage" data-mode={mode}>
        <div className="app-toolbar insp-row">
          <span className="mono app-uri" title={loaded?.document.url}>
            {resourceUri}
          </span>
          <span className="muted">{appName ? `${appName} · ${mode}` : loaded ? 'starting…' : 'loading…'}</span>
          <div className="insp-segmented" role="group" aria-label="Display mode">
            {DISPLAY_MODES.map((candidate) => (
              <button
                key={candidate}
                type="button"
                aria-pressed={mode === candidate}
                onClick={() => {
                  setMode(candidate);
                  bridgeRef.current?.setDisplayMode(candidate);
                }}
              >
                {candidate}
              </button>
            ))}
          </div>
          <button type="button" onClick={reload}>
            Reload app
          </button>
        </div>
        {problem && (
          <p className="insp-call-error" role="alert">
            {problem}
          </p>
        )}
        {loaded && (
          <iframe
            key={loaded.document.url}
            ref={frameRef}
            className="app-frame"
            title={`MCP App ${resourceUri}`}
            src={loaded.document.url}
            sandbox={APP_IFRAME_SANDBOX}
            allow={buildAllowAttribute(loaded.resource.meta.permissions)}
            referrerPolicy="no-referrer"
            style={mode === 'inline' ? { height } : undefined}
          />
        )}
      </div>
      <AppDebugPanel log={log} violations={violations} resource={loaded?.resource} document={loaded?.document} sandbox={APP_IFRAME_SANDBOX} />
      {asks[0] && <AskDialog ask={asks[0]} onAnswer={answer} />}
    </section>
  );
}

/** An app's request that only the user may grant: open a link, or send a message on the user's behalf. */
function AskDialog({ ask, onAnswer }: { ask: AppAsk; onAnswer(allowed: boolean): void }) {
  const label = ask.kind === 'open-link' ? 'The app asks to open a link' : 'The app asks to send a message';
  return (
    <Modal label={label} onClose={() => onAnswer(false)} className="modal-small">
      {ask.kind === 'open-link' ? (
        <p>
          Open <code className="mono app-ask-url">{ask.url}</code> in a new window?
        </p>
      ) : (
        <>
          <p>The app wants this sent as your message:</p>
          <pre className="insp-pre">{ask.text}</pre>
        </>
      )}
      <DialogFooter>
        <button type="button" onClick={() => onAnswer(false)} data-autofocus>
          Decline
        </button>
        <button type="button" className="primary" onClick={() => onAnswer(true)}>
          {ask.kind === 'open-link' ? 'Open link' : 'Accept message'}
        </button>
      </DialogFooter>
    </Modal>
  );
}
