import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerDiff } from '../../src-shared/server-diff';
import { parseServerSnapshot } from '../../src-shared/server-snapshot';
import { processesMatching } from '../test/processes';
import { FATAL_LINE_PREFIX } from './fatal-errors';

// Spawns the real CLIs (`node --import tsx src-main/cli/snapshot.ts`, `.../diff.ts`) against the surface fixture of a
// config file, as v1 and as v2 (FIXTURE_SURFACE), in both eras.
const REPO_ROOT = resolve(import.meta.dirname, '../..');
const SURFACE_SERVER = join(REPO_ROOT, 'src-main/test/fixtures/surface-fixture-server.mjs');
const TAG = `--patchbay-snapshot-cli-test=${process.pid}`;
let folder: string;
let configPath: string;
let v1Path: string;
let v2Path: string;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'patchbay-snapshot-cli-'));
  configPath = join(folder, 'mcp.json');
  const surface = (version: string) => ({ command: process.execPath, args: [SURFACE_SERVER, TAG], env: { FIXTURE_SURFACE: version } });
  await writeFile(configPath, JSON.stringify({ mcpServers: { notes: surface('v1'), 'notes-next': surface('v2'), missing: { command: join(folder, 'no-such-server') } } }));
  v1Path = join(folder, 'v1.json');
  v2Path = join(folder, 'v2.json');
});

afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

/** Runs a CLI to its end (bounded). */
function run(cli: 'snapshot' | 'diff', ...flags: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const extra = cli === 'snapshot' ? ['--data-dir', join(folder, 'data')] : [];
  const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, `src-main/cli/${cli}.ts`), ...flags, ...extra], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const killer = setTimeout(() => child.kill('SIGKILL'), 90_000);
  return new Promise((done) =>
    child.on('close', (code) => {
      clearTimeout(killer);
      expect(stderr).not.toContain(FATAL_LINE_PREFIX);
      done({ code, stdout, stderr });
    }),
  );
}

describe('npm run snapshot', () => {
  it('writes a snapshot of a server of the config file, in the era asked for', async () => {
    const [v1, v2] = await Promise.all([
      run('snapshot', '--config', configPath, '--server', 'notes', '--out', v1Path),
      run('snapshot', '--config', configPath, '--server', 'notes-next', '--out', v2Path, '--era', 'modern'),
    ]);
    expect(v1.code, v1.stderr).toBe(0);
    expect(v1.stdout).toMatch(/^snapshot of notes \(patchbay-surface-fixture 1\.0\.0\), 4 tools, taken .* UTC written to /);
    expect(v2.code, v2.stderr).toBe(0);
    const before = parseServerSnapshot(await readFile(v1Path, 'utf8'), v1Path);
    const after = parseServerSnapshot(await readFile(v2Path, 'utf8'), v2Path);
    expect(before.tools.map((tool) => tool.name)).toEqual(['add-note', 'delete-note', 'set-priority', 'get-stats']);
    // No --era and no setting in the entry: Auto, which finds the 2.x server modern.
    expect(before.era).toBe('modern');
    expect(after).toMatchObject({ server: 'notes-next', era: 'modern', protocolVersion: '2026-07-28', serverInfo: { version: '2.0.0' } });
  }, 120_000);

  it('prints the snapshot on stdout without --out', async () => {
    const printed = await run('snapshot', '--config', configPath, '--server', 'notes', '--era', 'legacy');
    expect(printed.code, printed.stderr).toBe(0);
    expect(parseServerSnapshot(printed.stdout, 'stdout')).toMatchObject({ server: 'notes', era: 'legacy' });
  }, 120_000);

  it('exits 2 for bad flags and 3 for a server that cannot start, saying why', async () => {
    const runs = await Promise.all([
      run('snapshot', '--config', configPath),
      run('snapshot', '--config', configPath, '--server', 'nope'),
      run('snapshot', '--config', configPath, '--server', 'notes', '--era', 'future'),
      run('snapshot', '--config', configPath, '--server', 'notes', 'stray'),
    ]);
    expect(runs.map((entry) => entry.code)).toEqual([2, 2, 2, 2]);
    expect(runs[0]!.stderr).toContain('error: --server NAME is required');
    expect(runs[0]!.stderr).toContain('usage: npm run snapshot');
    expect(runs[1]!.stderr).toContain('has no server named "nope" (it has "notes", "notes-next", "missing")');
    expect(runs[2]!.stderr).toContain('error: --era must be one of auto, modern, legacy (got "future")');
    expect(runs[3]!.stderr).toContain('takes no positional arguments (got stray)');
    const missing = await run('snapshot', '--config', configPath, '--server', 'missing', '--era', 'legacy', '--timeout', '10s');
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain('error: could not connect to "missing"');
  }, 180_000);
});

describe('npm run diff', () => {
  it('v1 → v2: each change classified, breaking first, exit 1', async () => {
    const diff = await run('diff', v1Path, v2Path);
    expect(diff.code, diff.stderr).toBe(1);
    expect(diff.stdout).toContain('diff of notes (patchbay-surface-fixture 1.0.0) → notes-next (patchbay-surface-fixture 2.0.0)');
    const lines = diff.stdout.split('\n').filter((line) => /^ {2}[A-Z]/.test(line)).map((line) => line.trim());
    expect(lines).toEqual([
      'BREAKING  tool "add-note": required argument "folder" added',
      'BREAKING  tool "delete-note" removed',
      'BREAKING  tool "set-priority": type of argument "level" narrowed: number → integer',
      'BREAKING  tool "get-stats": output property "wordCount" is no longer always present (no longer required)',
      'ADDITIVE  tool "search-notes" added',
      'COSMETIC  server version changed: "1.0.0" → "2.0.0"',
      'COSMETIC  tool "add-note": description changed',
    ]);
    expect(diff.stdout).toContain('            /tools/set-priority/inputSchema/properties/level/type: "number" → "integer"');
    expect(diff.stdout).toContain('7 changes: 4 breaking, 1 additive, 2 cosmetic');
    const json = await run('diff', v1Path, v2Path, '--json');
    expect(json.code).toBe(1);
    const parsed = JSON.parse(json.stdout) as ServerDiff;
    expect(parsed.counts).toEqual({ breaking: 4, additive: 1, cosmetic: 2 });
    expect(parsed.changes[1]).toMatchObject({ kind: 'breaking', subject: 'tool', name: 'delete-note', path: '/tools/delete-note' });
  }, 120_000);

  it('exits 0 without a breaking change, and 1 on any change with --fail-on any', async () => {
    const reworded = parseServerSnapshot(await readFile(v1Path, 'utf8'), v1Path);
    reworded.tools[0]!.description = 'Adds one note';
    const rewordedPath = join(folder, 'reworded.json');
    await writeFile(rewordedPath, JSON.stringify(reworded));
    const [same, cosmetic, strict, sameStrict] = await Promise.all([run('diff', v1Path, v1Path), run('diff', v1Path, rewordedPath), run('diff', v1Path, rewordedPath, '--fail-on', 'any'), run('diff', v1Path, v1Path, '--fail-on', 'any')]);
    expect([same.code, cosmetic.code, strict.code, sameStrict.code]).toEqual([0, 0, 1, 0]);
    expect(same.stdout).toContain('0 changes: 0 breaking, 0 additive, 0 cosmetic');
    expect(cosmetic.stdout).toContain('COSMETIC  tool "add-note": description changed');
    expect(cosmetic.stdout).toContain('no breaking change');
  }, 120_000);

  it('exits 2 for bad flags and files, naming which and why', async () => {
    const notJson = join(folder, 'not-json.json');
    await writeFile(notJson, '{"format":');
    const notSnapshot = join(folder, 'other.json');
    await writeFile(notSnapshot, JSON.stringify({ format: 'mcp-patchbay-recording' }));
    const runs = await Promise.all([
      run('diff', v1Path),
      run('diff', v1Path, v2Path, '--fail-on', 'sometimes'),
      run('diff', v1Path, notJson),
      run('diff', notSnapshot, v2Path),
      run('diff', join(folder, 'absent.json'), v2Path),
      run('diff', v1Path, v2Path, '--colour'),
    ]);
    expect(runs.map((entry) => entry.code)).toEqual([2, 2, 2, 2, 2, 2]);
    expect(runs[0]!.stderr).toContain('error: name two snapshot files, BEFORE and AFTER (got 1)');
    expect(runs[0]!.stderr).toContain('usage: npm run diff');
    expect(runs[1]!.stderr).toContain('error: --fail-on must be breaking or any (got "sometimes")');
    expect(runs[2]!.stderr).toContain(`error: AFTER: ${notJson} is not valid JSON`);
    expect(runs[3]!.stderr).toContain(`error: BEFORE: ${notSnapshot} is not a readable server snapshot: format: not a Patchbay server snapshot`);
    expect(runs[4]!.stderr).toContain('absent.json cannot be read (ENOENT)');
    expect(runs[5]!.stderr).toContain("Unknown option '--colour'");
  }, 120_000);

  it('leaves no fixture server running', () => {
    expect(processesMatching(TAG)).toEqual([]);
  });
});
