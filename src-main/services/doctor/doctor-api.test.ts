import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerEntry } from '../../../src-shared/catalog';
import { DoctorReportSchema } from '../../../src-shared/doctor';
import { createApiHandlers, invokeApi, type ApiHandlers } from '../api/api-handlers';
import type { CatalogStore } from '../catalog/catalog-store';
import { expectNothingLeft, RUN_TAG, startTestProxy, type TestProxy } from '../../test/helpers';
import { BROKEN_SERVER } from '../../test/processes';

// The doctor as the renderer calls it: through invokeApi (the payload and the report checked against the contract),
// on a server of the catalog, starting a child of its own and ending it.

let proxy: TestProxy;
let handlers: ApiHandlers;
const entries: ServerEntry[] = [{ name: 'banner', transport: 'stdio', command: process.execPath, args: [BROKEN_SERVER, 'banner', RUN_TAG], env: {} }];

beforeAll(async () => {
  proxy = await startTestProxy(entries);
  const catalog = { get: (name: string) => entries.find((entry) => entry.name === name), list: () => entries } as unknown as CatalogStore;
  handlers = createApiHandlers({ catalog, proxy, host: 'web' });
});

afterAll(async () => {
  await proxy.close();
  await expectNothingLeft(proxy);
});

describe('the diagnoseServer api', () => {
  it('diagnoses a catalog server and answers the report', async () => {
    const answer = await invokeApi(handlers, 'diagnoseServer', { server: 'banner' });
    expect(answer.ok).toBe(true);
    const report = DoctorReportSchema.parse((answer as { value: unknown }).value);
    expect(report.checks.find((check) => check.status === 'failed')).toMatchObject({ id: 'stdout-json-only', evidence: [{ text: expect.stringContaining('Weather MCP server v1.0 starting...') }] });
  });

  it('refuses a server that is not in the catalog, and a payload without one', async () => {
    expect(await invokeApi(handlers, 'diagnoseServer', { server: 'nope' })).toEqual({ ok: false, error: { code: 'rejected', message: 'there is no server named "nope"' } });
    expect(await invokeApi(handlers, 'diagnoseServer', {})).toMatchObject({ ok: false, error: { code: 'invalid-payload' } });
  });
});
