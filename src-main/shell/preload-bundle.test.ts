import { existsSync, readFileSync } from 'node:fs';
import { EventEmitter } from 'node:events';
import { fileURLToPath } from 'node:url';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { API_METHODS, IPC_CHANNELS } from '../../src-shared/api-contract';

// The built preload, loaded the way Electron loads a sandboxed preload: no Node module loader, a `require` that
// knows electron, events, timers and url and nothing else, and only the Node globals the sandbox hands over.
// A preload that requires anything more throws at start-up in the real app and `window.patchbay` never exists.

const PRELOAD_BUNDLE = fileURLToPath(new URL('../../out/preload/index.js', import.meta.url));
const SANDBOX_MODULES = ['electron', 'events', 'timers', 'url'] as const;

interface LoadedPreload {
  exposed: Map<string, Record<string, unknown>>;
  invocations: Array<{ channel: string; payload: unknown }>;
  /** What the preload sent to main without waiting for an answer (its event acknowledgements). */
  sent: Array<{ channel: string; payload: unknown }>;
  ipc: EventEmitter;
}

function loadSandboxedPreload(source: string): LoadedPreload {
  const exposed = new Map<string, Record<string, unknown>>();
  const invocations: LoadedPreload['invocations'] = [];
  const sent: LoadedPreload['sent'] = [];
  const ipc = new EventEmitter();
  const electron = {
    contextBridge: {
      exposeInMainWorld(key: string, api: Record<string, unknown>) {
        if (exposed.has(key)) throw new Error(`Cannot bind an API on top of an existing property on the window object: ${key}`);
        exposed.set(key, api);
      },
    },
    ipcRenderer: {
      invoke(channel: string, payload: unknown) {
        invocations.push({ channel, payload });
        return Promise.resolve({ ok: true, value: { channel } });
      },
      send: (channel: string, payload: unknown) => void sent.push({ channel, payload }),
      on: (channel: string, listener: (...args: unknown[]) => void) => ipc.on(channel, listener),
      removeListener: (channel: string, listener: (...args: unknown[]) => void) => ipc.removeListener(channel, listener),
    },
    webUtils: { getPathForFile: (file: { name: string }) => `/dropped/${file.name}` },
  };
  const builtins: Record<(typeof SANDBOX_MODULES)[number], unknown> = {
    electron,
    events: { EventEmitter },
    timers: { setTimeout, clearTimeout, setInterval, clearInterval },
    url: { URL, URLSearchParams },
  };
  const sandboxRequire = (name: string): unknown => {
    if ((SANDBOX_MODULES as readonly string[]).includes(name)) return builtins[name as (typeof SANDBOX_MODULES)[number]];
    throw new Error(`module not found: ${name} (a sandboxed preload can require only ${SANDBOX_MODULES.join(', ')})`);
  };
  // What Electron's sandboxed renderer passes to a preload, and a process object with only its sandboxed subset.
  const sandboxProcess = { platform: process.platform, arch: process.arch, versions: { ...process.versions }, env: {}, argv: [], type: 'renderer', sandboxed: true, contextIsolated: true };
  const module = { exports: {} as unknown };
  const wrapper = `(function (require, process, Buffer, global, setImmediate, clearImmediate, exports, module) {\n${source}\n})`;
  const context: Record<string, unknown> = {};
  context.window = context;
  const preloadFunction = runInNewContext(wrapper, context, { filename: PRELOAD_BUNDLE }) as (...args: unknown[]) => void;
  preloadFunction(sandboxRequire, sandboxProcess, Buffer, context, setImmediate, clearImmediate, module.exports, module);
  return { exposed, invocations, sent, ipc };
}

describe('the built preload in a sandboxed renderer', () => {
  it('is built', () => {
    expect(existsSync(PRELOAD_BUNDLE), `${PRELOAD_BUNDLE} is missing: npm test builds it first (npm run build)`).toBe(true);
  });

  it('loads with the sandbox require alone and exposes every api method and event subscription, nothing else', () => {
    const { exposed } = loadSandboxedPreload(readFileSync(PRELOAD_BUNDLE, 'utf8'));
    expect([...exposed.keys()]).toEqual(['patchbay']);
    const api = exposed.get('patchbay')!;
    const expected = [...API_METHODS, 'onLifecycleEvent', 'onCatalogChanged', 'onOpenFiles', 'onEventsDropped', 'onShortcut', 'onStressProgress', 'pathForFile'];
    expect(Object.keys(api).sort()).toEqual([...expected].sort());
    for (const name of expected) expect(typeof api[name], name).toBe('function');
  });

  it('sends each method on its own channel and hands the result back as data', async () => {
    const { exposed, invocations } = loadSandboxedPreload(readFileSync(PRELOAD_BUNDLE, 'utf8'));
    const api = exposed.get('patchbay')! as Record<string, (input?: unknown) => Promise<unknown>>;
    for (const method of API_METHODS) {
      await expect(api[method]!({ probe: method })).resolves.toEqual({ ok: true, value: { channel: IPC_CHANNELS.invoke(method) } });
    }
    expect(invocations).toEqual(API_METHODS.map((method) => ({ channel: IPC_CHANNELS.invoke(method), payload: { probe: method } })));
  });

  it('delivers events to subscribers until they unsubscribe, and gives dropped files their path', () => {
    const { exposed, ipc } = loadSandboxedPreload(readFileSync(PRELOAD_BUNDLE, 'utf8'));
    const api = exposed.get('patchbay')! as Record<string, (...args: unknown[]) => unknown>;
    const received: unknown[] = [];
    const unsubscribe = api.onCatalogChanged!((entries: unknown) => received.push(entries)) as () => void;
    ipc.emit(IPC_CHANNELS.event('catalog'), {}, [{ name: 'a' }]);
    unsubscribe();
    ipc.emit(IPC_CHANNELS.event('catalog'), {}, [{ name: 'b' }]);
    expect(received).toEqual([[{ name: 'a' }]]);
    // Only the preload's own flow-control counter still listens.
    expect(ipc.listenerCount(IPC_CHANNELS.event('catalog'))).toBe(1);
    expect(api.pathForFile!({ name: 'claude_desktop_config.json' })).toBe('/dropped/claude_desktop_config.json');
  });

  it('says it started, then acknowledges every event it received, listened to or not, once the page is free', async () => {
    const { sent, ipc } = loadSandboxedPreload(readFileSync(PRELOAD_BUNDLE, 'utf8'));
    expect(sent).toEqual([{ channel: IPC_CHANNELS.eventsAck, payload: { started: true } }]);
    for (let index = 0; index < 5; index += 1) ipc.emit(IPC_CHANNELS.event('lifecycle'), {}, { seq: index });
    ipc.emit(IPC_CHANNELS.event('dropped'), {}, { count: 3, bytes: 300, reason: 'test' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(sent.slice(1)).toEqual([{ channel: IPC_CHANNELS.eventsAck, payload: { handled: 6 } }]);
  });

  it('refuses a bundle that requires anything beyond the sandbox modules', () => {
    expect(() => loadSandboxedPreload('const { z } = require("zod");')).toThrow(/module not found: zod/);
  });
});
