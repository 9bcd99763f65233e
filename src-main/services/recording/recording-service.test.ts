import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerEntry } from '../../../src-shared/catalog';
import { createApiHandlers, invokeApi, type ApiHandlers } from '../api/api-handlers';
import type { CatalogStore } from '../catalog/catalog-store';
import { connectClient, expectNothingLeft, firstText, fixtureEntry, startTestProxy, type TestProxy } from '../../test/helpers';
import { RecordingService } from './recording-service';

// The recordings api as the renderer calls it (through invokeApi, payloads checked against the contract) over a
// RecordingService on a real proxy: record, stop, list, export, import, replay, delete; bad input refused with a
// sentence; and a body over the proxy's event cap recorded marked, its request skipped on replay saying why.
let folder: string;
let proxy: TestProxy;
let handlers: ApiHandlers;
const entries: ServerEntry[] = [fixtureEntry('fixture')];

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'patchbay-recording-api-'));
  // A small event body cap, so a 4 KB answer is reported without its body.
  proxy = await startTestProxy(entries, { session: { eventBodyMaxBytes: 2048 } });
  const recordings = await RecordingService.open({ dataDir: folder, proxy: () => proxy, entryOf: (name) => entries.find((entry) => entry.name === name) });
  const catalog = { get: (name: string) => entries.find((entry) => entry.name === name), list: () => entries } as unknown as CatalogStore;
  handlers = createApiHandlers({ catalog, proxy, host: 'web', recordings });
});

afterAll(async () => {
  await proxy.close();
  await expectNothingLeft(proxy);
  await rm(folder, { recursive: true, force: true });
});

const call = (method: string, payload?: unknown) => invokeApi(handlers, method, payload);

describe('the recordings api', () => {
  it('records, lists, exports, imports, replays and deletes; a too large body is marked and its request skipped', async () => {
    const started = await call('startRecording', { server: 'fixture', name: 'api check' });
    expect(started).toMatchObject({ ok: true, value: { name: 'api check', scope: { kind: 'server', server: 'fixture' }, messages: 0 } });
    const id = (started as { value: { id: string } }).value.id;
    expect(await call('startRecording', {})).toEqual({ ok: false, error: { code: 'rejected', message: '"api check" is already recording a server; stop it first' } });

    const session = await connectClient(proxy, 'fixture', 'streamable-http');
    expect(firstText(await session.client.callTool({ name: 'echo', arguments: { text: 'small' } }))).toBe('echo: small');
    expect(firstText(await session.client.callTool({ name: 'blob', arguments: { bytes: 4096 } }))).toHaveLength(4096);
    await session.close();

    const stopped = await call('stopRecording', { id });
    expect(stopped).toMatchObject({ ok: true, value: { id, name: 'api check', servers: ['fixture'], eras: ['legacy'] } });
    const listed = await call('listRecordings');
    expect(listed).toMatchObject({ ok: true, value: { recordings: [{ id }], problems: [] } });

    // The large answer is in the recording, marked, with its size: not silently lost.
    const recording = ((await call('getRecording', { id })) as { value: { messages: Array<{ method?: string; truncated?: boolean; size: number; body?: unknown; kind: string; id?: unknown }> } }).value;
    const blobRequest = recording.messages.find((message) => message.kind === 'request' && (message.body as { params?: { name?: string } } | undefined)?.params?.name === 'blob');
    const blobAnswer = recording.messages.find((message) => message.kind === 'response' && message.id === blobRequest?.id);
    expect(blobAnswer).toMatchObject({ truncated: true });
    expect(blobAnswer!.size).toBeGreaterThan(4096);
    expect(blobAnswer).not.toHaveProperty('body');

    const replayed = await call('replayRecording', { id, server: 'fixture' });
    expect(replayed).toMatchObject({ ok: true, value: { outcome: 'match' } });
    const requests = (replayed as { value: { requests: Array<{ target?: string; outcome: string; reason?: string }> } }).value.requests;
    expect(requests.map((request) => `${request.target} ${request.outcome}`)).toEqual(['echo equal', 'blob skipped']);
    expect(requests[1]!.reason).toBe("the recorded response was larger than the proxy's event cap and was recorded without its body");

    // Exported as a file, imported back as a second entry (same id: a new one), not replacing the first.
    const exported = (await call('exportRecording', { id })) as { ok: true; value: { fileName: string; text: string } };
    expect(exported.value.fileName).toBe('api-check.mcp-recording.json');
    const imported = await call('importRecording', { fileName: exported.value.fileName, text: exported.value.text });
    expect(imported).toMatchObject({ ok: true, value: { name: 'api check' } });
    expect((imported as { value: { id: string } }).value.id).not.toBe(id);
    expect(((await call('listRecordings')) as { value: { recordings: unknown[] } }).value.recordings).toHaveLength(2);

    expect(await call('removeRecording', { id })).toEqual({ ok: true, value: { removed: id } });
    expect(((await call('listRecordings')) as { value: { recordings: unknown[] } }).value.recordings).toHaveLength(1);
  }, 60_000);

  it('refuses bad input with a sentence that says what is wrong', async () => {
    expect(await call('importRecording', { fileName: 'notes.json', text: '{"format":"mcp-patchbay-recording","version":1}' })).toEqual({
      ok: false,
      error: { code: 'rejected', message: expect.stringMatching(/^notes\.json is not a readable recording: id: /) },
    });
    expect(await call('importRecording', { fileName: 'later.json', text: JSON.stringify({ format: 'mcp-patchbay-recording', version: 2 }) })).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('version: written by a newer Patchbay (format version above 1); update Patchbay to read it') },
    });
    expect(await call('getRecording', { id: '../catalog' })).toMatchObject({ ok: false, error: { code: 'invalid-payload', message: 'invalid input for getRecording: id: a recording id is letters, digits and dashes' } });
    expect(await call('getRecording', { id: 'no-such-recording' })).toEqual({ ok: false, error: { code: 'rejected', message: 'there is no saved recording "no-such-recording"' } });
    expect(await call('startRecording', { server: 'nope' })).toEqual({ ok: false, error: { code: 'rejected', message: 'there is no server named "nope"' } });
    expect(await call('stopRecording', { id: 'not-running' })).toEqual({ ok: false, error: { code: 'rejected', message: 'no recording "not-running" is under way' } });
    const listed = (await call('listRecordings')) as { value: { recordings: Array<{ id: string }> } };
    const [saved] = listed.value.recordings;
    expect(await call('replayRecording', { id: saved!.id, server: 'nope' })).toEqual({ ok: false, error: { code: 'rejected', message: 'there is no server named "nope"' } });
    expect(await call('replayRecording', { id: saved!.id, server: 'fixture', ignore: ['result..x'] })).toEqual({
      ok: false,
      error: { code: 'rejected', message: '"result..x" is not a path; write it as /result/content/0/text or result.content[0].text' },
    });
  }, 60_000);

  it('saves a recording still under way when the app quits', async () => {
    const service = await RecordingService.open({ dataDir: join(folder, 'quit'), proxy: () => proxy, entryOf: (name) => entries.find((entry) => entry.name === name) });
    const { id } = service.start({});
    expect(service.status()).toEqual([expect.objectContaining({ id, scope: { kind: 'all' } })]);
    expect(await service.close()).toEqual([]);
    expect(service.status()).toEqual([]);
    expect((await service.list()).recordings).toEqual([expect.objectContaining({ id })]);
  });
});
