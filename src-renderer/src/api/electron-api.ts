import { API_EVENTS, API_METHODS, apiContract, ApiCallError, unwrapApiResult, type ApiMethod, type ApiResult, type PatchbayApi, type PreloadApi } from '../../../src-shared/api-contract';

/**
 * The api over the Electron preload. The preload hands results over as data; here they become values or
 * ApiCallErrors, and every answer is checked against the contract as web mode's bridge checks it.
 */
export function createElectronApi(preload: PreloadApi): PatchbayApi {
  const invoke = async (method: ApiMethod, input?: unknown): Promise<unknown> => {
    const call = preload[method] as (input?: unknown) => Promise<ApiResult<unknown>>;
    const value = unwrapApiResult(method, await call(input));
    const parsed = apiContract[method].output.safeParse(value);
    if (!parsed.success) throw new ApiCallError(method, `Patchbay sent an unexpected answer to ${method}`, 'internal');
    return parsed.data;
  };
  const methods = Object.fromEntries(API_METHODS.map((method) => [method, (input?: unknown) => invoke(method, input)]));
  return {
    ...methods,
    onLifecycleEvent: (listener) => preload.onLifecycleEvent(listener),
    onCatalogChanged: (listener) => preload.onCatalogChanged(listener),
    onOpenFiles: (listener) => preload.onOpenFiles(listener),
    onEventsDropped: (listener) => preload.onEventsDropped(listener),
    // Only a known shortcut id runs anything.
    onShortcut: (listener) =>
      preload.onShortcut((payload) => {
        const parsed = API_EVENTS.shortcut.safeParse(payload);
        if (parsed.success) listener(parsed.data);
      }),
    onStressProgress: (listener) =>
      preload.onStressProgress((payload) => {
        const parsed = API_EVENTS.stress.safeParse(payload);
        if (parsed.success) listener(parsed.data);
      }),
    pathForFile: (file) => preload.pathForFile(file),
  } as PatchbayApi;
}
