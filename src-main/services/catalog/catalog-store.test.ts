import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eraSettingOf } from '../../../src-shared/protocol-era';
import { maskSecrets, SECRET_MASK } from '../../../src-shared/catalog';
import { CatalogError, CatalogStore } from './catalog-store';
import { restoreMaskedSecrets, withoutSecretValues } from './secret-masking';

let folder: string;
beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'patchbay-catalog-'));
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

const stdio = (name: string) => ({ name, transport: 'stdio', command: 'node', args: ['server.js'], env: { KEY: 'value' } });

describe('the catalog store', () => {
  it('starts empty, saves every change and reads it back after a restart', async () => {
    const store = await CatalogStore.openIn(folder);
    expect(store.list()).toEqual([]);
    await store.add(stdio('one'));
    await store.add({ name: 'remote', transport: 'sse', url: 'http://127.0.0.1:3000/sse' });
    await store.duplicate('one');
    await store.update('remote', { name: 'remote renamed', transport: 'streamable-http', url: 'http://127.0.0.1:3000/mcp', headers: { Authorization: 'x' } });
    const reopened = await CatalogStore.openIn(folder);
    expect(reopened.list().map((entry) => entry.name)).toEqual(['one', 'one copy', 'remote renamed']);
    expect(reopened.get('remote renamed')).toMatchObject({ transport: 'streamable-http', headers: { Authorization: 'x' } });
    await reopened.remove('one copy');
    expect((await CatalogStore.openIn(folder)).list().map((entry) => entry.name)).toEqual(['one', 'remote renamed']);
  });

  it('refuses bad changes with a readable reason and changes nothing', async () => {
    const store = await CatalogStore.openIn(folder);
    await store.add(stdio('one'));
    await expect(store.add(stdio('one'))).rejects.toThrow(new CatalogError('a server named "one" already exists'));
    await expect(store.add({ name: 'x', transport: 'stdio' })).rejects.toThrow('command: Invalid input: expected string, received undefined');
    await expect(store.update('nope', stdio('nope'))).rejects.toThrow('there is no server named "nope"');
    await expect(store.replaceAll([stdio('a'), stdio('a')])).rejects.toThrow('[1].name: duplicate server name "a"');
    expect((await CatalogStore.openIn(folder)).list().map((entry) => entry.name)).toEqual(['one']);
  });

  it('runs concurrent changes one after another without losing any', async () => {
    const store = await CatalogStore.openIn(folder);
    await Promise.all(Array.from({ length: 30 }, (_, index) => store.add(stdio(`server ${index}`))));
    expect((await CatalogStore.openIn(folder)).list()).toHaveLength(30);
    expect(readdirSync(folder).filter((file) => file.endsWith('.tmp'))).toEqual([]);
  });

  it('keeps a corrupt catalog aside with a clear message instead of overwriting it', async () => {
    writeFileSync(join(folder, 'catalog.json'), '{"version": 1, "servers": [ {"name": ');
    const store = await CatalogStore.openIn(folder);
    expect(store.list()).toEqual([]);
    expect(store.loadReport.problem).toMatch(/could not be read: it is not valid JSON .*It was kept as .*catalog\.corrupt-.*\.json and an empty catalog was started\./);
    expect(readFileSync(store.loadReport.keptAs!, 'utf8')).toBe('{"version": 1, "servers": [ {"name": ');
  });

  it('keeps a catalog of the wrong shape aside too, naming the field', async () => {
    writeFileSync(join(folder, 'catalog.json'), JSON.stringify({ version: 1, servers: [{ name: 'x', transport: 'stdio', command: 5 }] }));
    const store = await CatalogStore.openIn(folder);
    expect(store.loadReport.problem).toContain('servers[0].command');
  });

  it('loads a catalog written before the protocol era setting as Auto, keeps a pinned era, and refuses an unknown one', async () => {
    writeFileSync(join(folder, 'catalog.json'), JSON.stringify({ version: 1, servers: [stdio('old')] }));
    const store = await CatalogStore.openIn(folder);
    expect(store.loadReport.problem).toBeUndefined();
    expect(eraSettingOf(store.get('old')!)).toBe('auto');
    await store.add({ ...stdio('pinned'), protocolEra: 'legacy' });
    expect((await CatalogStore.openIn(folder)).get('pinned')).toMatchObject({ protocolEra: 'legacy' });
    await expect(store.add({ ...stdio('odd'), protocolEra: 'future' })).rejects.toThrow(/protocolEra: Invalid option: expected one of "auto"\|"modern"\|"legacy"/);
  });

  it('survives being killed in the middle of writes: the file is always the old or the new catalog', async () => {
    const path = join(folder, 'catalog.json');
    const store = await CatalogStore.openIn(folder);
    await store.add(stdio('before'));
    // A writer process that saves as fast as it can, killed at an arbitrary moment.
    const writer = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '-e',
        `import { CatalogStore } from ${JSON.stringify(new URL('./catalog-store.ts', import.meta.url).pathname)};
         const store = await CatalogStore.openIn(${JSON.stringify(folder)});
         process.stdout.write('ready\\n');
         for (let index = 0; index < 100000; index += 1) await store.replaceAll([{ name: 'before', transport: 'stdio', command: 'node' }, { name: 'n' + index, transport: 'stdio', command: 'x'.repeat(5000) }]);`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve) => writer.stdout!.once('data', () => resolve()));
    await new Promise((resolve) => setTimeout(resolve, 300));
    writer.kill('SIGKILL');
    await new Promise((resolve) => writer.once('exit', resolve));
    const saved = JSON.parse(readFileSync(path, 'utf8')) as { servers: Array<{ name: string }> };
    expect(saved.servers[0]!.name).toBe('before');
    expect(saved.servers).toHaveLength(2);
    const reopened = await CatalogStore.openIn(folder);
    expect(reopened.loadReport.problem).toBeUndefined();
    expect(reopened.list()[0]!.name).toBe('before');
  });

  it('seals secret values with the codec, opens them on load, and reports by name what cannot be opened', async () => {
    // A real reversible cipher stands in for the OS keychain, which plain Node has not got.
    const codec = {
      encrypt: (plain: string) => Buffer.from(plain.split('').reverse().join('')).toString('base64'),
      decrypt: (sealed: string) => Buffer.from(sealed, 'base64').toString().split('').reverse().join(''),
    };
    const store = await CatalogStore.openIn(folder, codec);
    await store.add({ name: 'gh', transport: 'stdio', command: 'node', env: { GITHUB_TOKEN: 'ghp_secret', LOG: 'debug' }, secrets: ['GITHUB_TOKEN'] });
    await store.add({ name: 'api', transport: 'streamable-http', url: 'https://api.example/mcp', headers: { Authorization: 'Bearer hush' }, secrets: ['Authorization'] });
    const onDisk = readFileSync(join(folder, 'catalog.json'), 'utf8');
    expect(onDisk).not.toContain('ghp_secret');
    expect(onDisk).not.toContain('Bearer hush');
    expect(onDisk).toContain('"LOG": "debug"');
    expect(onDisk).toContain('patchbay-sealed:v1:');

    const reopened = await CatalogStore.openIn(folder, codec);
    expect(reopened.get('gh')).toMatchObject({ env: { GITHUB_TOKEN: 'ghp_secret', LOG: 'debug' } });
    expect(reopened.get('api')).toMatchObject({ headers: { Authorization: 'Bearer hush' } });

    const withoutKeychain = await CatalogStore.openIn(folder);
    expect(withoutKeychain.loadReport.problem).toContain('the secret GITHUB_TOKEN of server "gh" could not be decrypted (no keychain is available); enter it again');
    expect(withoutKeychain.get('gh')).toMatchObject({ env: { GITHUB_TOKEN: expect.stringMatching(/^patchbay-sealed:v1:/) } });
  });

  it("seals a remote server's OAuth client secret, keeps its other OAuth settings in clear, and masks it for the page", async () => {
    const codec = {
      encrypt: (plain: string) => Buffer.from(plain.split('').reverse().join('')).toString('base64'),
      decrypt: (sealed: string) => Buffer.from(sealed, 'base64').toString().split('').reverse().join(''),
    };
    const store = await CatalogStore.openIn(folder, codec);
    const oauth = { clientId: 'patchbay-client', clientSecret: 'very-secret-client-secret', scopes: ['mcp:read'] };
    await store.add({ name: 'oauth', transport: 'streamable-http', url: 'https://api.example/mcp', oauth });
    const onDisk = readFileSync(join(folder, 'catalog.json'), 'utf8');
    expect(onDisk).not.toContain('very-secret-client-secret');
    expect(onDisk).toContain('"clientId": "patchbay-client"');
    expect(onDisk).toContain('patchbay-sealed:v1:');
    expect((await CatalogStore.openIn(folder, codec)).get('oauth')).toMatchObject({ oauth });

    const shown = maskSecrets(store.get('oauth')!);
    expect(shown).toMatchObject({ oauth: { clientId: 'patchbay-client', clientSecret: SECRET_MASK } });
    // Saved back from the page unchanged, the stored secret stays; a mask with nothing stored behind it is refused.
    expect(restoreMaskedSecrets(shown, store.get('oauth'))).toMatchObject({ oauth });
    expect(() => restoreMaskedSecrets(shown, undefined)).toThrow('the OAuth client secret of server "oauth" shows a hidden secret that is not stored for it; type its value');
    expect(withoutSecretValues(store.get('oauth')!)).toMatchObject({ oauth: { clientId: 'patchbay-client', clientSecret: '' } });
  });
});
