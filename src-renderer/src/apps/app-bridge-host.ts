import type { CallToolResult, Client, Tool } from '@modelcontextprotocol/client';
import { AppBridge, PostMessageTransport, type McpUiDisplayMode, type McpUiHostContext, type McpUiMessageRequest } from '@modelcontextprotocol/ext-apps/app-bridge';
import { FROM_APP_META_KEY } from '../../../src-shared/apps';
import { loggedTransport, type BridgeLogEntry } from './bridge-log';

export const DISPLAY_MODES: McpUiDisplayMode[] = ['inline', 'fullscreen', 'pip'];

/** What the app asked the user to confirm; the promise the bridge waits on resolves with the answer. */
export type AppAsk = { kind: 'open-link'; url: string; answer(allowed: boolean): void } | { kind: 'message'; text: string; answer(allowed: boolean): void };

export interface AppBridgeHooks {
  log(entry: BridgeLogEntry): void;
  ask(request: AppAsk): void;
  resize(size: { width?: number; height?: number }): void;
  displayMode(mode: McpUiDisplayMode): void;
  initialized(appName: string | undefined): void;
}

export interface AppCall {
  arguments: Record<string, unknown>;
  result?: CallToolResult;
}

/** Marks a request an app sent, so the proxy's timeline says it came from the app (src-shared/apps.ts). */
function fromApp<P extends { _meta?: Record<string, unknown> }>(params: P | undefined): P {
  return { ...params, _meta: { ...params?._meta, [FROM_APP_META_KEY]: true } } as unknown as P;
}

/**
 * The host side of one app's bridge, on the extension's own AppBridge: the tool's input and result go to the app once
 * it is initialized; its tool calls, resource reads and lists go to its server through the inspector's connected
 * client (so through the proxy, into the timeline, marked as from the app); links and messages wait for the user.
 */
export interface ConnectedAppBridge {
  bridge: AppBridge;
  /** The user changed the display mode: the app hears of it through its host context. */
  setDisplayMode(mode: McpUiDisplayMode): void;
}

export async function connectAppBridge(options: { client: Client; frame: Window; tool: Tool; call: AppCall; theme: 'light' | 'dark'; platform: 'web' | 'desktop'; startedAt: number; hooks: AppBridgeHooks }): Promise<ConnectedAppBridge> {
  const { client, tool, call, hooks } = options;
  const serverCapabilities = client.getServerCapabilities();
  let context: McpUiHostContext = {
    toolInfo: { tool },
    theme: options.theme,
    displayMode: 'inline',
    availableDisplayModes: DISPLAY_MODES,
    platform: options.platform,
    locale: navigator.language,
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
  };
  const bridge = new AppBridge(
    null,
    { name: 'MCP Patchbay', version: '0.1.0' },
    {
      openLinks: {},
      logging: {},
      message: { text: {} },
      ...(serverCapabilities?.tools ? { serverTools: {} } : {}),
      ...(serverCapabilities?.resources ? { serverResources: {} } : {}),
    },
    { hostContext: context },
  );
  bridge.oncalltool = (params, extra) => client.request({ method: 'tools/call', params: fromApp(params) }, { signal: extra.mcpReq.signal });
  bridge.onreadresource = (params, extra) => client.request({ method: 'resources/read', params: fromApp(params) }, { signal: extra.mcpReq.signal });
  bridge.onlistresources = (params, extra) => client.request({ method: 'resources/list', params: fromApp(params) }, { signal: extra.mcpReq.signal });
  bridge.onlistresourcetemplates = (params, extra) => client.request({ method: 'resources/templates/list', params: fromApp(params) }, { signal: extra.mcpReq.signal });
  bridge.onlistprompts = (params, extra) => client.request({ method: 'prompts/list', params: fromApp(params) }, { signal: extra.mcpReq.signal });
  type Question = { kind: 'open-link'; url: string } | { kind: 'message'; text: string };
  const confirm = (request: Question): Promise<boolean> => new Promise((resolve) => hooks.ask({ ...request, answer: resolve }));
  bridge.onopenlink = async ({ url }) => {
    if (!(await confirm({ kind: 'open-link', url }))) return { isError: true };
    // Opened only after the user said yes, without a way back to this page.
    window.open(url, '_blank', 'noopener,noreferrer');
    return {};
  };
  bridge.onmessage = async (params) => ((await confirm({ kind: 'message', text: messageText(params) })) ? {} : { isError: true });
  bridge.onsizechange = (size) => hooks.resize(size);
  const setDisplayMode = (mode: McpUiDisplayMode): void => {
    context = { ...context, displayMode: mode };
    bridge.setHostContext(context);
  };
  bridge.onrequestdisplaymode = async ({ mode }) => {
    const granted = DISPLAY_MODES.includes(mode) ? mode : 'inline';
    hooks.displayMode(granted);
    setDisplayMode(granted);
    return { mode: granted };
  };
  bridge.oninitialized = () => {
    hooks.initialized(bridge.getAppVersion()?.name);
    void bridge.sendToolInput({ arguments: call.arguments });
    if (call.result) void bridge.sendToolResult(call.result);
  };
  await bridge.connect(loggedTransport(new PostMessageTransport(options.frame, options.frame), options.startedAt, hooks.log));
  return { bridge, setDisplayMode };
}

function messageText(params: McpUiMessageRequest['params']): string {
  return params.content.map((block) => (block.type === 'text' ? block.text : `[${block.type}]`)).join('\n');
}
