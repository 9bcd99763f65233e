import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_IMPORT_BYTES, readImportFiles } from './import-files';
import { planImport } from './plan-import';

let folder: string;
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'patchbay-import-files-'));
});
afterEach(() => rm(folder, { recursive: true, force: true }));

describe('readImportFiles', () => {
  it('reads each file, and turns each one it cannot read into an error naming it', async () => {
    const good = join(folder, 'mcp.json');
    const missing = join(folder, 'missing.json');
    const huge = join(folder, 'huge.json');
    await writeFile(good, '{ "mcpServers": { "a": { "command": "node" } } }');
    await writeFile(huge, Buffer.alloc(MAX_IMPORT_BYTES + 1, 0x20));

    const files = await readImportFiles([good, missing, folder, huge]);
    expect(files).toEqual([
      { path: good, bytes: Buffer.from('{ "mcpServers": { "a": { "command": "node" } } }') },
      { path: missing, error: `${missing}: cannot read the file: it does not exist` },
      { path: folder, error: `${folder}: this is a directory, not a config file` },
      { path: huge, error: `${huge}: the file is 5.1 MiB; a config file is at most 5 MiB` },
    ]);
    const plan = planImport(files, []);
    expect(plan.entries.map((entry) => entry.name)).toEqual(['a']);
    expect(plan.files.map((file) => file.ok)).toEqual([true, false, false, false]);
  });

  it('takes a smaller limit', async () => {
    const path = join(folder, 'mcp.json');
    await writeFile(path, '{ "mcpServers": {} }');
    expect(await readImportFiles([path], 10)).toEqual([{ path, error: `${path}: the file is 20 bytes; a config file is at most 10 bytes` }]);
  });
});
