import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ServerEntry } from '../../../src-shared/catalog';
import { countOutcomes, type Recording } from '../../../src-shared/recording';
import { connectClient, expectNothingLeft, firstText, fixtureEntry, modernFixtureEntry, startTestProxy, type TestProxy } from '../../test/helpers';
import { connectModernClient, MODERN, textOf } from '../../test/modern-helpers';
import { Recorder } from './recorder';
import { RecordingStore } from './recording-store';
import { replayRecording } from './replayer';

// Records real sessions through the proxy (the legacy fixture with sampling, elicitation and roots answered by the
// client; the dual-era fixture spoken modern, with an input_required round) and replays them against the same
// server, a changed one (an environment variable that a tool answers with) and through the ignore list.
let folder: string;
let proxy: TestProxy;
const entries: ServerEntry[] = [
  fixtureEntry('fixture', { REPLAY_FLAVOR: 'vanilla' }),
  fixtureEntry('fixture-changed', { REPLAY_FLAVOR: 'chocolate' }),
  modernFixtureEntry('modern'),
  modernFixtureEntry('modern-again'),
];

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'patchbay-recording-'));
  proxy = await startTestProxy(entries);
});

afterAll(async () => {
  await proxy.close();
  await expectNothingLeft(proxy);
  await rm(folder, { recursive: true, force: true });
});

let recorders: Recorder[] = [];
afterEach(() => {
  for (const recorder of recorders) recorder.stop();
  recorders = [];
});

function record(server: string): Recorder {
  const recorder = new Recorder({ bus: proxy.bus, server, entryOf: (name) => entries.find((entry) => entry.name === name) });
  recorders.push(recorder);
  return recorder;
}

describe('record and replay (legacy era)', () => {
  let recording: Recording;

  beforeAll(async () => {
    const { CreateMessageRequestSchema, ElicitRequestSchema, ListRootsRequestSchema } = await import('@modelcontextprotocol/sdk/types.js');
    const recorder = record('fixture');
    const session = await connectClient(proxy, 'fixture', 'streamable-http', {
      capabilities: { sampling: {}, elicitation: {}, roots: { listChanged: true } },
      prepare: (client) => {
        client.setRequestHandler(CreateMessageRequestSchema, async () => ({ role: 'assistant', model: 'test-model', content: { type: 'text', text: 'a haiku' } }));
        client.setRequestHandler(ElicitRequestSchema, async () => ({ action: 'accept', content: { name: 'Ada' } }));
        client.setRequestHandler(ListRootsRequestSchema, async () => ({ roots: [{ uri: 'file:///work/project', name: 'project' }] }));
      },
    });
    await session.client.listTools();
    expect(firstText(await session.client.callTool({ name: 'echo', arguments: { text: 'hi' } }))).toBe('echo: hi');
    expect(firstText(await session.client.callTool({ name: 'env', arguments: { name: 'REPLAY_FLAVOR' } }))).toBe('vanilla');
    expect(firstText(await session.client.callTool({ name: 'sample', arguments: { prompt: 'write a haiku' } }))).toBe('sampled: a haiku');
    expect(firstText(await session.client.callTool({ name: 'elicit', arguments: {} }))).toBe('elicited: accept {"name":"Ada"}');
    expect(firstText(await session.client.callTool({ name: 'roots', arguments: {} }))).toBe('roots: file:///work/project');
    await session.close();
    recording = recorder.stop();
  }, 60_000);

  it('keeps every message both ways, the server identity, the entry without env values and the client answers', async () => {
    expect(recording.servers).toEqual([
      expect.objectContaining({ name: 'fixture', serverInfo: expect.objectContaining({ name: 'patchbay-fixture', version: '1.2.3' }), era: 'legacy', entry: expect.objectContaining({ transport: 'stdio', envKeys: ['REPLAY_FLAVOR'] }) }),
    ]);
    expect(JSON.stringify(recording.servers)).not.toContain('vanilla');
    const answers = recording.messages.filter((message) => message.direction === 'client-to-server' && message.kind === 'response');
    expect(answers.map((answer) => answer.body)).toEqual([
      expect.objectContaining({ result: expect.objectContaining({ model: 'test-model' }) }),
      expect.objectContaining({ result: { action: 'accept', content: { name: 'Ada' } } }),
      expect.objectContaining({ result: { roots: [{ uri: 'file:///work/project', name: 'project' }] } }),
    ]);
    const serverRequests = recording.messages.filter((message) => message.direction === 'server-to-client' && message.kind === 'request').map((message) => message.method);
    expect(serverRequests).toEqual(['sampling/createMessage', 'elicitation/create', 'roots/list']);
    expect(recording.messages.every((message) => message.at >= recording.startedAt && message.at <= recording.endedAt)).toBe(true);

    // Saved and read back through the schema, atomically in recordings/.
    const store = await RecordingStore.openIn(folder);
    await store.save(recording);
    expect(await store.get(recording.id)).toEqual(recording);
    expect((await store.list()).recordings).toEqual([expect.objectContaining({ id: recording.id, servers: ['fixture'], eras: ['legacy'], messages: recording.messages.length })]);
    expect(JSON.parse(await readFile(join(folder, 'recordings', `${recording.id}.json`), 'utf8'))).toMatchObject({ format: 'mcp-patchbay-recording', version: 1 });
  });

  it('replays against the same server with every response equal and the recorded answers given again', async () => {
    const result = await replayRecording({ recording, server: 'fixture', proxy });
    expect(result.failure).toBeUndefined();
    expect(result.requests.map((request) => [request.method, request.target, request.outcome].filter(Boolean).join(' '))).toEqual([
      'tools/list equal',
      'tools/call echo equal',
      'tools/call env equal',
      'tools/call sample equal',
      'tools/call elicit equal',
      'tools/call roots equal',
    ]);
    expect(result.outcome).toBe('match');
    expect(result.serverRequests).toEqual({ answered: 3, unanswered: [] });
    expect(result.serverInfo).toMatchObject({ name: 'patchbay-fixture', version: '1.2.3' });
  }, 60_000);

  it('replays against a changed server: the diff names the request and the path', async () => {
    const result = await replayRecording({ recording, server: 'fixture-changed', proxy });
    expect(result.outcome).toBe('differ');
    expect(countOutcomes(result)).toEqual({ equal: 5, different: 1, skipped: 0, failed: 0 });
    const changed = result.requests.find((request) => request.outcome === 'different');
    expect(changed).toMatchObject({ index: 3, method: 'tools/call', target: 'env' });
    expect(changed!.differences).toEqual([{ path: '/result/content/0/text', kind: 'changed', recorded: 'vanilla', replayed: 'chocolate' }]);
  }, 60_000);

  it('does not count what the ignore list covers, as a JSON pointer or a simple path', async () => {
    for (const ignore of ['/result/content/0/text', 'result.content[*].text', 'result']) {
      const result = await replayRecording({ recording, server: 'fixture-changed', proxy, ignore: [ignore] });
      expect(result.outcome, ignore).toBe('match');
    }
  }, 90_000);
});

describe('record and replay (modern era)', () => {
  it('replays server/discover and an input_required round (the recorded answer sent again) with every response equal', async () => {
    const recorder = record('modern');
    const session = await connectModernClient(proxy, 'modern', { pin: MODERN }, { owner: 'recorded-window' });
    expect(textOf(await session.client.callTool({ name: 'echo', arguments: { text: 'now' } }))).toBe('echo: now');
    expect(textOf(await session.client.callTool({ name: 'ask-name', arguments: {} }))).toBe('Hello, Ada!');
    expect(textOf(await session.client.callTool({ name: 'multi-round', arguments: {} }))).toBe('answers: color=answer 2, animal=answer 3, food=answer 4');
    await session.close();
    const recording = recorder.stop();
    expect(recording.servers[0]).toMatchObject({ era: 'modern', protocolVersion: MODERN, serverInfo: { name: 'patchbay-modern-fixture', version: '2.0.0' } });

    // Another process of the server: its multi-round state is sealed with a key of its own, so each recorded retry
    // carries the requestState the replayed round answered, with the recorded answers.
    const result = await replayRecording({ recording, server: 'modern-again', proxy });
    expect(result.failure).toBeUndefined();
    expect(result.requests.map((request) => [request.method, request.target, request.outcome].join(' '))).toEqual([
      'tools/call echo equal',
      'tools/call ask-name equal',
      'tools/call ask-name equal',
      ...Array.from({ length: 4 }, () => 'tools/call multi-round equal'),
    ]);
    expect(result.requests.at(-1)!.replayedResponse).toMatchObject({ result: { content: [{ type: 'text', text: 'answers: color=answer 2, animal=answer 3, food=answer 4' }] } });
    expect(result.outcome).toBe('match');
  }, 60_000);
});
