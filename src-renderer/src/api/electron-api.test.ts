import { describe, expect, it } from 'vitest';
import { API_METHODS, ApiCallError, type ApiResult, type PreloadApi } from '../../../src-shared/api-contract';
import { createElectronApi } from './electron-api';

/** A preload-shaped object whose every method answers with the given result. */
function preloadAnswering(result: ApiResult<unknown>): PreloadApi {
  const methods = Object.fromEntries(API_METHODS.map((method) => [method, async () => result]));
  return {
    ...methods,
    onLifecycleEvent: () => () => undefined,
    onCatalogChanged: () => () => undefined,
    onOpenFiles: () => () => undefined,
    pathForFile: () => '/p',
  } as unknown as PreloadApi;
}

describe('the api over the Electron preload', () => {
  it('passes on menu shortcuts with a known id only', () => {
    let send: (payload: unknown) => void = () => undefined;
    const preload = { ...preloadAnswering({ ok: true, value: null }), onShortcut: (listener: (payload: unknown) => void) => ((send = listener), () => undefined) } as unknown as PreloadApi;
    const received: unknown[] = [];
    createElectronApi(preload).onShortcut?.((payload) => received.push(payload.id));
    send({ id: 'connect-all' });
    send({ id: 'format-disk' });
    send({ id: 'connect-all', extra: true });
    expect(received).toEqual(['connect-all']);
  });

  it('returns values that match the contract', async () => {
    const api = createElectronApi(preloadAnswering({ ok: true, value: { lines: ['a'] } }));
    await expect(api.getStderr({ sessionId: 's' })).resolves.toEqual({ lines: ['a'] });
  });

  it('turns a refusal into an ApiCallError with its message and code', async () => {
    const api = createElectronApi(preloadAnswering({ ok: false, error: { message: 'a server named "x" already exists', code: 'rejected' } }));
    const error = await api.listServers().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiCallError);
    expect(error).toMatchObject({ method: 'listServers', code: 'rejected', message: 'a server named "x" already exists' });
  });

  it('refuses an answer that does not match the contract', async () => {
    const api = createElectronApi(preloadAnswering({ ok: true, value: { lines: 'not a list' } }));
    await expect(api.getStderr({ sessionId: 's' })).rejects.toMatchObject({ code: 'internal', message: 'Patchbay sent an unexpected answer to getStderr' });
  });
});
