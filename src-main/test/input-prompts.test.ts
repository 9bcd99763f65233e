import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { invokeApi } from '../services/api/api-handlers';
import { startAppServices, type AppServices } from '../services/app-services';
import type { SecretCodec } from '../services/catalog/secret-codec';
import { parseConfigText } from '../services/config';
import { connectClient, FIXTURE_SERVER, firstText, RUN_TAG, waitFor } from './helpers';
import { connectModernClient } from './modern-helpers';

const folders: string[] = [];
const running: AppServices[] = [];

afterEach(async () => {
  for (const services of running.splice(0)) await services.close();
  for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
});

/** Stands in for Electron's safeStorage: reversible, and visibly not the plain text. */
const testKeychain: SecretCodec = {
  encrypt: (plain) => Buffer.from(plain, 'utf8').toString('base64').split('').reverse().join(''),
  decrypt: (sealed) => Buffer.from(sealed.split('').reverse().join(''), 'base64').toString('utf8'),
};

/** The fixture server as a VS Code mcp.json writes it, with a password input and a pickString input in its env. */
const vscodeFile = JSON.stringify({
  inputs: [
    { type: 'promptString', id: 'api-key', description: 'Fixture API key', password: true },
    { type: 'pickString', id: 'region', description: 'Region', options: ['eu', 'us'], default: 'us' },
  ],
  servers: {
    fixture: { type: 'stdio', command: process.execPath, args: [FIXTURE_SERVER, RUN_TAG], env: { FIXTURE_KEY: '${input:api-key}', FIXTURE_REGION: '${input:region}' } },
  },
});

async function start(codec?: SecretCodec, dataDir?: string): Promise<{ services: AppServices; dataDir: string }> {
  const folder = dataDir ?? (await mkdtemp(join(tmpdir(), 'patchbay-inputs-')));
  if (!dataDir) folders.push(folder);
  const services = await startAppServices({ dataDir: folder, host: 'web', port: 0, secretCodec: codec });
  running.push(services);
  if (!services.catalog.get('fixture')) await services.catalog.add(parseConfigText(vscodeFile, 'mcp.json').entries[0]);
  return { services, dataDir: folder };
}

async function envOfServer(services: AppServices, name: string): Promise<string> {
  const connection = await connectClient(services.proxy, 'fixture', 'streamable-http');
  try {
    return firstText(await connection.client.callTool({ name: 'env', arguments: { name } }));
  } finally {
    await connection.close();
  }
}

describe('VS Code inputs at connect time', () => {
  it('cannot start unanswered, names the inputs, and starts with the answers', async () => {
    const { services } = await start();
    const closes: string[] = [];
    services.proxy.bus.subscribe((event) => {
      if (event.type === 'session-closed') closes.push(event.detail ?? event.reason);
    });
    const prompt = await invokeApi(services.handlers, 'inputPrompt', { name: 'fixture' });
    expect(prompt).toEqual({
      ok: true,
      value: {
        server: 'fixture',
        inputs: [
          { type: 'promptString', id: 'api-key', description: 'Fixture API key', password: true },
          { type: 'pickString', id: 'region', description: 'Region', options: ['eu', 'us'], default: 'us' },
        ],
        storage: 'session',
        remembered: 0,
      },
    });
    await expect(connectClient(services.proxy, 'fixture', 'streamable-http')).rejects.toThrow(/needs the input "api-key" \(Fixture API key\), the input "region" \(Region\)/);

    expect(await invokeApi(services.handlers, 'answerInputs', { name: 'fixture', answers: { 'api-key': 'k-123', region: 'mars' } })).toEqual({
      ok: false,
      error: { code: 'rejected', message: 'server "fixture": region: the input "region" must be one of "eu", "us"' },
    });
    expect(await invokeApi(services.handlers, 'answerInputs', { name: 'fixture', answers: { 'api-key': 'k-123', region: 'eu' } })).toEqual({ ok: true, value: { remembered: 0 } });
    expect(await envOfServer(services, 'FIXTURE_KEY')).toBe('k-123');
    // Not remembered: the next connect asks again.
    expect((await services.handlers.inputPrompt({ name: 'fixture' })).inputs.map((input) => input.id)).toEqual(['api-key', 'region']);
    expect(closes.join('\n')).not.toContain('k-123');
  });

  it('an Auto connect (server/discover first, then initialize) starts a legacy server with the answers given for it', async () => {
    const { services } = await start();
    expect(await invokeApi(services.handlers, 'answerInputs', { name: 'fixture', answers: { 'api-key': 'k-auto', region: 'eu' } })).toEqual({ ok: true, value: { remembered: 0 } });
    // The inspector's 2.x client in Auto: its server/discover reaches a child of its own, which must not use up the
    // answers the legacy session that follows needs.
    const connection = await connectModernClient(services.proxy, 'fixture', 'auto');
    try {
      expect(connection.client.getProtocolEra()).toBe('legacy');
      expect(firstText(await connection.client.callTool({ name: 'env', arguments: { name: 'FIXTURE_KEY' } }))).toBe('k-auto');
    } finally {
      await connection.close();
    }
    // The legacy session spent them: the next connect asks again.
    expect((await services.handlers.inputPrompt({ name: 'fixture' })).inputs.map((input) => input.id)).toEqual(['api-key', 'region']);
  });

  it('remembers answers sealed with the keychain across a restart, never in clear, and forgets them', async () => {
    const first = await start(testKeychain);
    expect(await invokeApi(first.services.handlers, 'answerInputs', { name: 'fixture', answers: { 'api-key': 'k-sealed', region: 'us' }, remember: true })).toEqual({
      ok: true,
      value: { remembered: 2 },
    });
    const onDisk = await readFile(join(first.dataDir, 'remembered-inputs.json'), 'utf8');
    expect(onDisk).toContain('patchbay-sealed:v1:');
    expect(onDisk).not.toContain('k-sealed');
    expect(await readFile(join(first.dataDir, 'catalog.json'), 'utf8')).not.toContain('k-sealed');
    await first.services.close();

    const second = await start(testKeychain, first.dataDir);
    expect(await second.services.handlers.inputPrompt({ name: 'fixture' })).toMatchObject({ inputs: [], storage: 'keychain', remembered: 2 });
    expect(await envOfServer(second.services, 'FIXTURE_REGION')).toBe('us');
    expect(await envOfServer(second.services, 'FIXTURE_KEY')).toBe('k-sealed');

    expect(await second.services.handlers.forgetInputs({ name: 'fixture' })).toEqual({ forgotten: 2 });
    expect((await second.services.handlers.inputPrompt({ name: 'fixture' })).inputs.map((input) => input.id)).toEqual(['api-key', 'region']);
    await waitFor(async () => !(await readFile(join(first.dataDir, 'remembered-inputs.json'), 'utf8')).includes('patchbay-sealed'), 'the file to forget');
  });

  it('keeps the definitions when the entry is saved from the form, which does not carry them', async () => {
    const { services } = await start();
    const stored = services.catalog.get('fixture')!;
    if (stored.transport !== 'stdio') throw new Error('the fixture is a stdio server');
    const { inputs: _inputs, ...edited } = stored;
    await services.handlers.updateServer({ name: 'fixture', entry: { ...edited, env: { FIXTURE_REGION: '${input:region}' } } });
    expect(services.catalog.get('fixture')!.inputs).toEqual([{ type: 'pickString', id: 'region', description: 'Region', options: ['eu', 'us'], default: 'us' }]);
  });
});
