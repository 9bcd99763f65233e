import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './config';

const BUILT_PAGE = join(REPO_ROOT, 'out', 'renderer', 'index.html');
/** What the built renderer is made from: a file here newer than the build means the build is stale. */
const SOURCES = ['src-renderer', 'src-shared'].map((folder) => join(REPO_ROOT, folder));
const BUILD_TIMEOUT_MS = 10 * 60_000;

function newestChange(folder: string): number {
  let newest = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestChange(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Why the renderer must be built before the timeline can be measured, or undefined when the build is current. */
export function rendererBuildNeeded(): string | undefined {
  if (!existsSync(BUILT_PAGE)) return 'the renderer is not built';
  const built = statSync(BUILT_PAGE).mtimeMs;
  return SOURCES.some((folder) => existsSync(folder) && newestChange(folder) > built) ? 'the renderer build is older than its sources' : undefined;
}

/**
 * Builds the app (`electron-vite build`, which writes out/renderer) when it is missing or older than its sources,
 * saying so on `say`; rejects with the build's last lines when it fails.
 */
export async function ensureRendererBuilt(say: (line: string) => void): Promise<void> {
  const reason = rendererBuildNeeded();
  if (!reason) return;
  say(`${reason}: building it first (npx electron-vite build)…`);
  const cli = join(REPO_ROOT, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [cli, 'build'], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (chunk: Buffer): void => {
      output = (output + chunk.toString()).slice(-4000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => child.kill('SIGKILL'), BUILD_TIMEOUT_MS);
    child.once('error', (error) => reject(new Error(`electron-vite could not start: ${error.message}`)));
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`electron-vite build failed (${signal ?? `exit ${code}`}): ${output.trim().split('\n').slice(-5).join(' | ')}`));
    });
  });
  say('renderer built');
}
